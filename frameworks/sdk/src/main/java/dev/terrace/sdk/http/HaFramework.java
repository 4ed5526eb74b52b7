package dev.terrace.sdk.http;

import java.util.Optional;

/**
 * The public face of one instance of a highly available framework: its URL, whether it leads,
 * the controller it runs while leading, and closing it. Subclasses start {@link #instance}.
 *
 * @param <R> the framework's controller
 */
public abstract class HaFramework<R extends HaInstance.Reign> implements AutoCloseable {
  /** Set by the subclass's start method. */
  protected HaInstance<R> instance;

  /** This instance's base URL, e.g. {@code http://10.0.0.5:5080}. */
  public String url() {
    return instance.url();
  }

  /** The controller while this instance leads. */
  public Optional<R> controller() {
    return instance.reign();
  }

  public boolean isLeader() {
    return instance.isLeader();
  }

  /** Stops this instance; another one takes the framework over. */
  @Override
  public void close() {
    if (instance != null) {
      instance.close();
    }
  }
}
