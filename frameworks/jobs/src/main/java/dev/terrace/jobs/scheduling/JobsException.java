package dev.terrace.jobs.scheduling;

import dev.terrace.sdk.http.ApiException;

/** A request the jobs framework refuses, with the HTTP status that says why (400, 404, 409). */
public final class JobsException extends ApiException {
  public JobsException(int status, String message) {
    super(status, message);
  }
}
