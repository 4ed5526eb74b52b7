package dev.terrace.master.election;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records callbacks ("elected", "lost: reason") and the threads they came on. */
final class RecordingListener implements LeadershipListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  @Override
  public void elected() {
    threads.add(Thread.currentThread().getName());
    events.add("elected");
  }

  @Override
  public void lost(String reason) {
    threads.add(Thread.currentThread().getName());
    events.add("lost: " + reason);
  }

  String last() {
    return events.isEmpty() ? "" : events.get(events.size() - 1);
  }
}
