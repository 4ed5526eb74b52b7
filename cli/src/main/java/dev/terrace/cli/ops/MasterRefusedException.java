package dev.terrace.cli.ops;

import java.io.IOException;

/** The master understood the request and refused it (a 4xx): the operator asked for something wrong. */
public final class MasterRefusedException extends IOException {
  private final int status;

  public MasterRefusedException(int status, String reason) {
    super(reason == null || reason.isBlank() ? "refused with HTTP " + status : reason.strip());
    this.status = status;
  }

  public int status() {
    return status;
  }
}
