package dev.terrace.bench.soak;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One of the soak's frameworks: an SDK scheduler (HA: it follows the leader through ZooKeeper and
 * resubscribes with its framework id) that keeps up to N short tasks outstanding, launching on
 * every offer that has room, and records how each task ended. Callbacks arrive on the SDK's one
 * event thread; the harness reads from its own, hence the locking.
 */
final class SoakFramework implements Scheduler, AutoCloseable {
  private static final List<Resource> TASK = List.of(Resource.scalar("cpus", 0.5).withAllocationRole("*"),
      Resource.scalar("mem", 128).withAllocationRole("*"));
  private static final Resources EACH = Resources.of(TASK);
  /** Offers are declined for a while, so that 50 frameworks do not churn through every agent each cycle. */
  private static final Filters REFUSE = new Filters(2.0);

  private final int index;
  private final int maxOutstanding;
  private final Ledger ledger;
  private final SchedulerClient client;
  private final Map<Integer, Launch> outstanding = new HashMap<>();
  /** Tasks that ended otherwise than FINISHED: seq → "STATE/REASON". */
  private final Map<Integer, String> notFinished = new HashMap<>();
  private final BitSet finishedSeqs = new BitSet();
  /** Tasks whose ACCEPT call failed (no 202): the master may or may not have taken them. */
  private final BitSet acceptFailed = new BitSet();
  private int nextSeq;
  private long launched;
  private long finished;
  private long finishedAfterAnotherEnd;
  private boolean draining;

  private static final class Launch {
    final AgentId agent;
    final long at;
    AgentId runningOn;

    Launch(AgentId agent, long at) {
      this.agent = agent;
      this.at = at;
    }
  }

  SoakFramework(int index, String zkUrl, int maxOutstanding, Ledger ledger) {
    this.index = index;
    this.maxOutstanding = maxOutstanding;
    this.ledger = ledger;
    FrameworkInfo info = new FrameworkInfo("soak", "soak-" + index, null, 3600.0, true, null,
        List.of(), null, null, null, null, null).withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    this.client = SchedulerClient.builder(zkUrl, info, this)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
  }

  SoakFramework start() {
    client.start();
    return this;
  }

  @Override
  public void subscribed(FrameworkId frameworkId, MasterInfo masterInfo) {}

  @Override
  public synchronized void offers(List<Offer> offers) {
    for (Offer offer : offers) {
      Resources left = Resources.of(offer.resources());
      List<TaskInfo> tasks = new ArrayList<>();
      while (!draining && outstanding.size() < maxOutstanding && left.contains(EACH)) {
        int seq = nextSeq++;
        TaskId id = Ledger.taskId(index, seq);
        tasks.add(TaskInfo.command(id.value(), id, offer.agentId(), TASK, CommandInfo.shell("true")));
        outstanding.put(seq, new Launch(offer.agentId(), System.nanoTime()));
        launched++;
        left = left.minus(EACH);
      }
      List<OfferId> ids = List.of(offer.id());
      if (tasks.isEmpty()) {
        client.decline(ids, REFUSE).exceptionally(e -> null);
        continue;
      }
      // A failed call leaves its tasks outstanding: whether the master took them is for
      // reconciliation to say (it answers TASK_UNKNOWN for tasks it never heard of).
      client.accept(ids, List.of(Operation.launch(tasks)), REFUSE).exceptionally(e -> {
        acceptFailed(tasks);
        return null;
      });
    }
  }

  private synchronized void acceptFailed(List<TaskInfo> tasks) {
    tasks.forEach(t -> acceptFailed.set(Ledger.seq(t.taskId())));
  }

  @Override
  public synchronized void update(TaskStatus status) {
    TaskId id = status.taskId();
    if (Ledger.framework(id) != index) {
      return;
    }
    int seq = Ledger.seq(id);
    TaskState state = status.state();
    if (state == TaskState.TASK_RUNNING || state == TaskState.TASK_STARTING || state == TaskState.TASK_STAGING) {
      Launch l = outstanding.get(seq);
      if (l == null && notFinished.remove(seq) != null) {
        // Given up on (unreachable, unknown) and alive after all: outstanding again.
        l = new Launch(status.agentId(), System.nanoTime());
        outstanding.put(seq, l);
      }
      if (l != null) {
        if (l.runningOn != null && !l.runningOn.equals(status.agentId())) {
          ledger.runningTwice(id, l.runningOn.value(), status.agentId().value());
        }
        l.runningOn = status.agentId();
      }
    } else if (state == TaskState.TASK_FINISHED) {
      if (outstanding.remove(seq) != null) {
        finished++;
        finishedSeqs.set(seq);
      } else if (notFinished.remove(seq) != null) {
        finished++;
        finishedAfterAnotherEnd++;
        finishedSeqs.set(seq);
      }
    } else if (state.isTerminal() || state == TaskState.TASK_UNREACHABLE || state == TaskState.TASK_UNKNOWN) {
      String outcome = state + "/" + status.reason();
      if (outstanding.remove(seq) != null || notFinished.containsKey(seq)) {
        notFinished.put(seq, outcome);
      } else if (finishedSeqs.get(seq)) {
        ledger.example(id.value() + " FINISHED, then reported " + outcome);
      }
    }
  }

  @Override
  public void rescind(OfferId offerId) {}

  /** Asks the master about tasks outstanding for over {@code staleSeconds} with no end heard. */
  synchronized void reconcileStale(double staleSeconds) {
    long now = System.nanoTime();
    long staleNanos = (long) (staleSeconds * 1e9);
    List<Call.Reconcile.ReconcileTask> ask = new ArrayList<>();
    for (var e : outstanding.entrySet()) {
      if (now - e.getValue().at > staleNanos && ask.size() < 500) {
        ask.add(new Call.Reconcile.ReconcileTask(Ledger.taskId(index, e.getKey()), e.getValue().agent));
      }
    }
    if (!ask.isEmpty() && client.isSubscribed()) {
      client.reconcile(ask).exceptionally(e -> null);
    }
  }

  /** Stops launching (offers are declined from now on). */
  synchronized void drain() {
    draining = true;
  }

  synchronized Tally tally() {
    Map<String, Long> ended = new TreeMap<>();
    long lostUpdates = 0;
    for (var e : notFinished.entrySet()) {
      if (ledger.reachedAnAgent(index, e.getKey())) {
        // The agent ran it (and finished it: simulated tasks never fail), yet the framework
        // was told otherwise: an update the master lost.
        lostUpdates++;
        ledger.example(Ledger.taskId(index, e.getKey()).value() + " ran on an agent but ended " + e.getValue());
      } else {
        String call = acceptFailed.get(e.getKey()) ? " (ACCEPT failed)" : " (ACCEPT answered 202)";
        ended.merge(e.getValue() + call, 1L, Long::sum);
      }
    }
    return new Tally(launched, finished, finishedAfterAnotherEnd, outstanding.size(), lostUpdates, ended);
  }

  /** What one framework (or, summed, all of them) saw. */
  record Tally(long launched, long finished, long finishedAfterAnotherEnd, long outstanding, long lostUpdates,
      Map<String, Long> endedBeforeReachingAnAgent) {
    static Tally sum(List<Tally> all) {
      Map<String, Long> ended = new TreeMap<>();
      all.forEach(t -> t.endedBeforeReachingAnAgent.forEach((k, v) -> ended.merge(k, v, Long::sum)));
      return new Tally(all.stream().mapToLong(Tally::launched).sum(), all.stream().mapToLong(Tally::finished).sum(),
          all.stream().mapToLong(Tally::finishedAfterAnotherEnd).sum(), all.stream().mapToLong(Tally::outstanding).sum(),
          all.stream().mapToLong(Tally::lostUpdates).sum(), ended);
    }

    long failedWithReason() {
      return endedBeforeReachingAnAgent.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Tasks with no end heard, plus tasks an agent ran that ended otherwise than FINISHED. */
    long lost() {
      return outstanding + lostUpdates;
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
