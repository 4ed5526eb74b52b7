package dev.terrace.master.state;

import dev.terrace.common.scheduler.Event;

/** The master's end of a framework's SUBSCRIBE stream. Called on the master context only. */
public interface FrameworkLink {
  /** The {@code Mesos-Stream-Id} of this subscription. */
  String streamId();

  void send(Event event);

  void close();
}
