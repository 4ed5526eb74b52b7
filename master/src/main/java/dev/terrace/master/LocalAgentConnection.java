package dev.terrace.master;

/**
 * An agent connected to the master in-process: the agent protocol's JSON messages without a
 * socket. Used by the cluster simulator to drive tens of thousands of agents through the master's
 * real protocol code within this host's open-file limit.
 */
public interface LocalAgentConnection {
  /** Delivers one JSON message from the agent to the master (asynchronously, in order). */
  void send(String json);

  /** Closes the connection as a dropped socket would. */
  void close();
}
