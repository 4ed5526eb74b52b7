package dev.terrace.master.state;

import dev.terrace.common.channel.MasterMessage;

/** The master's end of one agent's channel. Called on the master context only. */
public interface AgentLink {
  void send(MasterMessage message);

  void close(String reason);
}
