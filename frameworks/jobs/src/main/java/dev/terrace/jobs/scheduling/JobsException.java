package dev.terrace.jobs.scheduling;

/** A request the jobs framework refuses, with the HTTP status that says why (400, 404, 409). */
public final class JobsException extends RuntimeException {
  private final int status;

  public JobsException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
