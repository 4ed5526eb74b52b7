package dev.terrace.agent.image;

import java.io.IOException;

/** A manifest, index or image config is malformed or names nothing this agent can run. */
public final class ManifestException extends IOException {
  public ManifestException(String message) {
    super(message);
  }
}
