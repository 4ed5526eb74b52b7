package dev.terrace.agent.snapshot;

import java.io.IOException;

/** A layer tried to write (or link) outside its own directory; the layer is refused. */
public final class LayerEscapeException extends IOException {
  public LayerEscapeException(String message) {
    super(message);
  }
}
