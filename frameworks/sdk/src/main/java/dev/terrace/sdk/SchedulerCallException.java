package dev.terrace.sdk;

/** The master answered a call with a non-2xx status; {@link #getMessage()} is the master's text. */
public class SchedulerCallException extends RuntimeException {
  private final int statusCode;
  private final String masterMessage;

  public SchedulerCallException(String callType, int statusCode, String masterMessage) {
    super(callType + " failed with HTTP " + statusCode
        + (masterMessage == null || masterMessage.isBlank() ? "" : ": " + masterMessage.strip()));
    this.statusCode = statusCode;
    this.masterMessage = masterMessage == null ? "" : masterMessage.strip();
  }

  /** The HTTP status the master answered with (400, 403, 503, ...). */
  public int statusCode() {
    return statusCode;
  }

  /** The response body as the master wrote it (a text reason for 400s), possibly empty. */
  public String masterMessage() {
    return masterMessage;
  }
}
