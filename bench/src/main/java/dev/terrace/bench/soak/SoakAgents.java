package dev.terrace.bench.soak;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.master.MasterServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The simulated agents: {@link SoakAgent}s on the master's real agent protocol over in-process
 * connections, all driven by one thread of their own (so the masters' contexts only do the
 * masters' work, and the agents need no locks). Tasks finish after a random short duration.
 */
final class SoakAgents implements AutoCloseable {
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "soak-agents");
    t.setDaemon(true);
    return t;
  });
  private final List<SoakAgent> agents = new ArrayList<>();
  private final Supplier<MasterServer> leader;
  private final Ledger ledger;
  private final Random random;
  private final int minTaskMillis;
  private final int maxTaskMillis;

  SoakAgents(int count, String resources, Supplier<MasterServer> leader, Ledger ledger, long seed,
      int minTaskMillis, int maxTaskMillis) {
    this.leader = leader;
    this.ledger = ledger;
    this.random = new Random(seed);
    this.minTaskMillis = minTaskMillis;
    this.maxTaskMillis = maxTaskMillis;
    List<Resource> total = dev.terrace.common.resources.ResourceParser.parseResources(resources);
    for (int a = 0; a < count; a++) {
      AgentId id = AgentId.of("soak-agent-" + a);
      agents.add(new SoakAgent(this, new AgentInfo("soak-" + a + ".example", 5051, total, null, id)));
    }
  }

  void start() {
    onAgentThread(() -> agents.forEach(SoakAgent::connect));
    thread.scheduleWithFixedDelay(() -> agents.forEach(SoakAgent::resendStale), 2, 2, TimeUnit.SECONDS);
  }

  MasterServer leader() {
    return leader.get();
  }

  Ledger ledger() {
    return ledger;
  }

  void onAgentThread(Runnable r) {
    try {
      thread.execute(guarded(r));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: a master still talking to the agents after the run is over.
    }
  }

  void later(Runnable r, long millis) {
    thread.schedule(guarded(r), millis, TimeUnit.MILLISECONDS);
  }

  private static Runnable guarded(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        // One agent's bad moment must not stop the thread that drives all of them.
        org.slf4j.LoggerFactory.getLogger(SoakAgents.class).error("Simulated agent failed", e);
      }
    };
  }

  /** Only on the agents' thread (the Random is not shared). */
  long randomMillis(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  long taskMillis() {
    return randomMillis(minTaskMillis, maxTaskMillis);
  }

  /** Tells every agent connected to {@code killed} that its connection is gone. */
  void masterKilled(MasterServer killed) {
    onAgentThread(() -> agents.forEach(a -> a.masterGone(killed)));
  }

  /** Crashes a random agent that is up, and restarts it after {@code downMillis}; its id, or null. */
  String crashRandomAgent(long downMillis) throws Exception {
    return call(() -> {
      SoakAgent a = agents.get(random.nextInt(agents.size()));
      if (a.isDown()) {
        return null;
      }
      a.crash();
      later(a::restart, downMillis);
      return a.id().value();
    });
  }

  /** Updates the agents still wait to have acknowledged. */
  int unacknowledged() throws Exception {
    return call(() -> agents.stream().mapToInt(SoakAgent::unacknowledged).sum());
  }

  int down() throws Exception {
    return call(() -> (int) agents.stream().filter(SoakAgent::isDown).count());
  }

  private <T> T call(Callable<T> c) throws Exception {
    return thread.submit(c).get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
