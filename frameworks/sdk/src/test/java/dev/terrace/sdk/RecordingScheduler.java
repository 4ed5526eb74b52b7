package dev.terrace.sdk;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback, in order, as text and typed values for assertions. */
class RecordingScheduler implements Scheduler {
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<FrameworkId> subscribed = new CopyOnWriteArrayList<>();
  final List<Offer> offers = new CopyOnWriteArrayList<>();
  final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
  final List<String> disconnects = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();

  @Override
  public void subscribed(FrameworkId frameworkId, MasterInfo masterInfo) {
    subscribed.add(frameworkId);
    log.add("subscribed " + frameworkId);
  }

  @Override
  public void offers(List<Offer> list) {
    offers.addAll(list);
    list.forEach(o -> log.add("offer " + o.id()));
  }

  @Override
  public void update(TaskStatus status) {
    updates.add(status);
    log.add("update " + status.taskId() + " " + status.state());
  }

  @Override
  public void rescind(OfferId offerId) {
    log.add("rescind " + offerId);
  }

  @Override
  public void error(String message) {
    errors.add(message);
    log.add("error " + message);
  }

  @Override
  public void disconnected(String reason) {
    disconnects.add(reason);
    log.add("disconnected");
  }

  @Override
  public void heartbeat() {
    log.add("heartbeat");
  }
}
