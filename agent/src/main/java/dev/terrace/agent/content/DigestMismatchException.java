package dev.terrace.agent.content;

import java.io.IOException;

/** Downloaded bytes do not hash to the digest that named them: never retried, never stored. */
public final class DigestMismatchException extends IOException {
  public DigestMismatchException(Digest expected, Digest actual, long size) {
    super("digest mismatch: expected " + expected + " but the " + size + " bytes received hash to "
        + actual);
  }
}
