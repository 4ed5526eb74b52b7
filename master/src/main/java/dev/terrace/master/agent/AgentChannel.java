package dev.terrace.master.agent;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.AgentId;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentLink;
import io.vertx.core.http.ServerWebSocket;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of one agent's WebSocket: the first message must be REGISTER; after that,
 * status updates. Frames are JSON text, one {@link AgentMessage} each. A frame that does not parse
 * is refused and the channel closed: an agent that speaks garbage is broken, and reconnecting
 * is the cure. Runs on the master context.
 */
public final class AgentChannel implements AgentLink {
  private static final Logger LOG = LoggerFactory.getLogger(AgentChannel.class);

  private final ServerWebSocket ws;
  private final Supplier<Master> master;
  private Master registeredWith;
  private AgentId agentId;

  private AgentChannel(ServerWebSocket ws, Supplier<Master> master) {
    this.ws = ws;
    this.master = master;
  }

  public static void accept(ServerWebSocket ws, Supplier<Master> master) {
    AgentChannel channel = new AgentChannel(ws, master);
    ws.textMessageHandler(channel::onText);
    ws.closeHandler(v -> channel.onClose());
    ws.exceptionHandler(e -> LOG.debug("Agent channel error: {}", e.toString()));
  }

  private void onText(String text) {
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
    }
  }

  private void onClose() {
    if (agentId != null && registeredWith != null && registeredWith == master.get()) {
      registeredWith.agentDisconnected(agentId, this);
    }
  }

  @Override
  public void send(MasterMessage message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(Json.toString(message));
    }
  }

  @Override
  public void close(String reason) {
    if (!ws.isClosed()) {
      send(new MasterMessage.Refused(reason));
      ws.close((short) 1000, reason.length() > 100 ? reason.substring(0, 100) : reason);
    }
  }
}
