package dev.terrace.agent.image;

import dev.terrace.agent.content.DigestMismatchException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a registry operation on transient failures (I/O errors, 5xx, 429) with exponential
 * backoff. A missing image, refused credentials, a malformed manifest or a digest mismatch fail at
 * once: trying again would only delay the task's failure.
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  @FunctionalInterface
  public interface Call<T> {
    T run() throws IOException;
  }

  private Retry() {}

  public static <T> T call(String what, int attempts, Duration initialBackoff, Call<T> call)
      throws IOException {
    long backoff = initialBackoff.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (IOException e) {
        if (!transientFailure(e)) {
          throw e;
        }
        if (attempt >= attempts) {
          // A bare "closed" or "Connection refused" says nothing of what was being fetched.
          throw attempts == 1 ? e
              : new IOException(what + " failed " + attempts + " times, last: " + e.getMessage(), e);
        }
        LOG.info("{} failed (attempt {} of {}), retrying in {} ms: {}", what, attempt, attempts,
            backoff, e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while retrying " + what);
        }
        backoff *= 2;
      }
    }
  }

  static boolean transientFailure(IOException e) {
    if (e instanceof RegistryException r) {
      return r.transientFailure();
    }
    return !(e instanceof ManifestException || e instanceof DigestMismatchException
        || e instanceof InterruptedIOException);
  }
}
