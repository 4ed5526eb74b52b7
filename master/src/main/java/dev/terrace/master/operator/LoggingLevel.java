package dev.terrace.master.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * GET_LOGGING_LEVEL and SET_LOGGING_LEVEL: Mesos' glog verbosity mapped onto Terrace's loggers
 * (level 0 is the configured level, 1 DEBUG, 2 and up TRACE). A raised level falls back to the
 * configured one after the given duration, as in Mesos, so a forgotten debugging session does not
 * fill the disk. Runs on one Vert.x context.
 */
final class LoggingLevel {
  private static final String LOGGER = "dev.terrace";
  private final Vertx vertx;
  private final Logger logger;
  private final Level configured;
  private long revertTimer = -1;
  private int level;

  LoggingLevel(Vertx vertx) {
    this.vertx = vertx;
    this.logger = LoggerFactory.getLogger(LOGGER) instanceof Logger l ? l : null;
    this.configured = logger == null ? null : logger.getLevel();
  }

  /** Whether the logging backend lets us change levels (logback, as shipped). */
  boolean supported() {
    return logger != null;
  }

  int level() {
    return level;
  }

  /** Sets the verbosity for {@code duration}, then back to 0. */
  void set(int newLevel, Duration duration) {
    if (newLevel < 0) {
      throw new IllegalArgumentException("'level' must be >= 0");
    }
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'duration' must be a positive duration");
    }
    if (revertTimer >= 0) {
      vertx.cancelTimer(revertTimer);
      revertTimer = -1;
    }
    apply(newLevel);
    if (newLevel > 0) {
      revertTimer = vertx.setTimer(Math.max(1, duration.toMillis()), t -> {
        revertTimer = -1;
        apply(0);
      });
    }
  }

  private void apply(int newLevel) {
    level = newLevel;
    logger.setLevel(newLevel == 0 ? configured : newLevel == 1 ? Level.DEBUG : Level.TRACE);
  }
}
