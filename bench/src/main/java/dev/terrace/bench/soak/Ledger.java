package dev.terrace.bench.soak;

import dev.terrace.common.model.TaskId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated agents saw, kept apart from what the frameworks were told, so the two can be
 * compared at the end: a task an agent ran to completion that its framework heard of as lost is a
 * lost update, a second launch of one task id is a double launch. Task ids are {@code f<framework>-<seq>},
 * so a bit per task id keeps the ledger small over hundreds of thousands of tasks (its own growth
 * must not blur the heap figure).
 */
final class Ledger {
  private static final int MAX_EXAMPLES = 10;

  private final BitSet[] received;
  private final AtomicLong doubleLaunches = new AtomicLong();
  private final AtomicLong agentOvercommits = new AtomicLong();
  private final AtomicLong leaderOvercommits = new AtomicLong();
  private final AtomicLong leaderSamples = new AtomicLong();
  private final List<String> examples = new ArrayList<>();

  Ledger(int frameworks) {
    received = new BitSet[frameworks];
    for (int i = 0; i < frameworks; i++) {
      received[i] = new BitSet();
    }
  }

  static TaskId taskId(int framework, long seq) {
    return TaskId.of("f" + framework + "-" + seq);
  }

  static int framework(TaskId id) {
    String v = id.value();
    return Integer.parseInt(v.substring(1, v.indexOf('-')));
  }

  static int seq(TaskId id) {
    String v = id.value();
    return Integer.parseInt(v.substring(v.indexOf('-') + 1));
  }

  /** An agent got RUN_TASK for {@code id}; false (and a double launch counted) if some agent had already. */
  boolean agentReceived(TaskId id, String agent) {
    BitSet bits = received[framework(id)];
    synchronized (bits) {
      int seq = seq(id);
      if (bits.get(seq)) {
        doubleLaunches.incrementAndGet();
        example("double launch of " + id.value() + " (again on " + agent + ")");
        return false;
      }
      bits.set(seq);
      return true;
    }
  }

  boolean reachedAnAgent(int framework, int seq) {
    BitSet bits = received[framework];
    synchronized (bits) {
      return bits.get(seq);
    }
  }

  /** A framework saw {@code id} RUNNING on two agents. */
  void runningTwice(TaskId id, String first, String second) {
    doubleLaunches.incrementAndGet();
    example(id.value() + " RUNNING on " + first + " and on " + second);
  }

  /** An agent was told to run more than its resources hold. */
  void agentOvercommitted(String agent, String what) {
    agentOvercommits.incrementAndGet();
    example("agent " + agent + " over its total: " + what);
  }

  void leaderSampled(List<String> overcommitted) {
    leaderSamples.incrementAndGet();
    if (!overcommitted.isEmpty()) {
      leaderOvercommits.addAndGet(overcommitted.size());
      overcommitted.stream().limit(3).forEach(a -> example("leader state: used+offered > total on " + a));
    }
  }

  synchronized void example(String what) {
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(what);
    }
  }

  long doubleLaunches() {
    return doubleLaunches.get();
  }

  long agentOvercommits() {
    return agentOvercommits.get();
  }

  long leaderOvercommits() {
    return leaderOvercommits.get();
  }

  long leaderSamples() {
    return leaderSamples.get();
  }

  synchronized List<String> examples() {
    return List.copyOf(examples);
  }
}
