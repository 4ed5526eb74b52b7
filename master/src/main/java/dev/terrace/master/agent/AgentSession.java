package dev.terrace.master.agent;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.AgentId;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentLink;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent protocol on the master's side, apart from its transport: the first message must be
 * REGISTER; after that, status updates. Messages are JSON text, one {@link AgentMessage} each. A
 * message that does not parse is refused and the session closed: an agent that speaks garbage is
 * broken, and reconnecting is the cure. Runs on the master context.
 *
 * <p>The WebSocket ({@link AgentChannel}) is the transport agents use; an in-process transport
 * (see {@code MasterServer#openLocalAgentSession}) lets a simulator drive tens of thousands of
 * agents through this same code without a socket each.
 */
public final class AgentSession implements AgentLink {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);

  private final Supplier<Master> master;
  private final Consumer<String> out;
  private final Consumer<String> closer;
  private Master registeredWith;
  private AgentId agentId;
  private boolean closed;

  /**
   * @param out writes one text message to the agent
   * @param closer closes the transport, with a reason for logs and close frames
   */
  public AgentSession(Supplier<Master> master, Consumer<String> out, Consumer<String> closer) {
    this.master = master;
    this.out = out;
    this.closer = closer;
  }

  public AgentId agentId() {
    return agentId;
  }

  public void onText(String text) {
    if (closed) {
      return;
    }
    AgentMessage msg;
    try {
      msg = Json.parse(text, AgentMessage.class);
    } catch (WireFormatException e) {
      close("Unparseable message: " + e.getMessage());
      return;
    }
    Master m = master.get();
    if (m == null) {
      close("This master is not leading");
      return;
    }
    if (msg instanceof AgentMessage.Register reg) {
      if (reg.agentInfo() == null || reg.agentInfo().hostname() == null) {
        close("REGISTER needs agent_info with a hostname");
        return;
      }
      registeredWith = m;
      agentId = m.registerAgent(reg, this);
    } else if (msg instanceof AgentMessage.StatusUpdate update) {
      if (agentId == null || registeredWith != m) {
        close("Status update before REGISTER");
        return;
      }
      if (update.status() == null || update.status().taskId() == null || update.frameworkId() == null) {
        LOG.warn("Agent {} sent a status update without task or framework id; ignored", agentId);
        return;
      }
      m.statusUpdate(agentId, update);
    } else if (msg instanceof AgentMessage.ExecutorMessage || msg instanceof AgentMessage.ExecutorExited) {
      if (agentId == null || registeredWith != m) {
        close("Executor report before REGISTER");
        return;
      }
      m.executorEvent(agentId, msg);
    }
  }

  /** The transport closed from the agent's side (or the network's). */
  public void onClose() {
    closed = true;
    if (agentId != null && registeredWith != null && registeredWith == master.get()) {
      registeredWith.agentDisconnected(agentId, this);
    }
  }

  /** The agent stopped answering the transport's liveness checks. */
  public void onUnresponsive() {
    Master m = master.get();
    if (agentId != null && registeredWith != null && registeredWith == m) {
      m.agentUnresponsive(agentId, this);
    }
  }

  @Override
  public void send(MasterMessage message) {
    if (!closed) {
      out.accept(Json.toString(message));
    }
  }

  @Override
  public void close(String reason) {
    if (closed) {
      return;
    }
    send(new MasterMessage.Refused(reason));
    closed = true;
    closer.accept(reason);
  }
}
