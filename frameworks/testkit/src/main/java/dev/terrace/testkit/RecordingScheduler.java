package dev.terrace.testkit;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.Scheduler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A scheduler for tests that records every event, so tests can wait (with Awaitility) on what a
 * framework would observe: offers received, rescinds, and each task's states in order.
 */
public final class RecordingScheduler implements Scheduler {
  public final List<FrameworkId> subscriptions = new CopyOnWriteArrayList<>();
  public final List<Offer> offers = new CopyOnWriteArrayList<>();
  public final List<OfferId> rescinded = new CopyOnWriteArrayList<>();
  public final List<dev.terrace.common.model.InverseOffer> inverseOffers = new CopyOnWriteArrayList<>();
  public final List<OfferId> rescindedInverseOffers = new CopyOnWriteArrayList<>();
  /** Executor MESSAGEs as text ("executor-id: data"). */
  public final List<String> messages = new CopyOnWriteArrayList<>();
  /** Executors reported ended (FAILURE), by id. */
  public final List<String> executorFailures = new CopyOnWriteArrayList<>();
  public final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
  public final List<String> errors = new CopyOnWriteArrayList<>();
  public final List<String> disconnects = new CopyOnWriteArrayList<>();

  @Override
  public void subscribed(FrameworkId frameworkId, MasterInfo masterInfo) {
    subscriptions.add(frameworkId);
  }

  @Override
  public void offers(List<Offer> list) {
    offers.addAll(list);
  }

  @Override
  public void update(TaskStatus status) {
    updates.add(status);
  }

  @Override
  public void inverseOffers(List<dev.terrace.common.model.InverseOffer> list) {
    inverseOffers.addAll(list);
  }

  @Override
  public void message(dev.terrace.common.model.AgentId agent, dev.terrace.common.model.ExecutorId executor,
      byte[] data) {
    messages.add(executor.value() + ": " + new String(data, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void executorFailed(dev.terrace.common.model.AgentId agent, dev.terrace.common.model.ExecutorId executor,
      Integer status) {
    executorFailures.add(executor.value());
  }

  @Override
  public void rescindInverseOffer(OfferId id) {
    rescindedInverseOffers.add(id);
  }

  @Override
  public void rescind(OfferId offerId) {
    rescinded.add(offerId);
  }

  @Override
  public void error(String message) {
    errors.add(message);
  }

  @Override
  public void disconnected(String reason) {
    disconnects.add(reason);
  }

  /** The newest offer not rescinded, if any. */
  public Optional<Offer> latestOffer() {
    for (int i = offers.size() - 1; i >= 0; i--) {
      if (!rescinded.contains(offers.get(i).id())) {
        return Optional.of(offers.get(i));
      }
    }
    return Optional.empty();
  }

  /** The newest offer not rescinded (nor marked used there) with at least these resources. */
  public Optional<Offer> offerWith(double cpus, double memMb) {
    for (int i = offers.size() - 1; i >= 0; i--) {
      Offer o = offers.get(i);
      dev.terrace.common.resources.Resources r = dev.terrace.common.resources.Resources.of(o.resources());
      if (!rescinded.contains(o.id()) && r.scalar("cpus") >= cpus && r.scalar("mem") >= memMb) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  public List<TaskState> states(TaskId task) {
    return updates.stream().filter(s -> s.taskId().equals(task)).map(TaskStatus::state)
        .collect(Collectors.toList());
  }

  /** The task's terminal update, once it has arrived. */
  public Optional<TaskStatus> terminal(TaskId task) {
    return updates.stream().filter(s -> s.taskId().equals(task) && s.state().isTerminal()).findFirst();
  }
}
