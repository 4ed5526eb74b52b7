package dev.terrace.sdk.http;

/** A request a framework's API refuses, with the HTTP status that says why (400, 404, 409...). */
public class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
