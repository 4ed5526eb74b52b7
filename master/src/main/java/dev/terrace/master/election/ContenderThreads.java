package dev.terrace.master.election;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The single thread on which a contender runs its listener callbacks, in order. */
final class ContenderThreads {
  private ContenderThreads() {}

  static ExecutorService newCallbackThread(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
