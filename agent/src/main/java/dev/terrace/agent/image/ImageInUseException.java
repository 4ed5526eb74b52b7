package dev.terrace.agent.image;

import java.io.IOException;

/** An image cannot be removed: a container uses it. */
public final class ImageInUseException extends IOException {
  public ImageInUseException(String message) {
    super(message);
  }
}
