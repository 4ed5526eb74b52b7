package dev.terrace.master.agent;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.AgentId;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentLink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
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
  private final Vertx vertx;
  private final int maxMissedPings;
  private final long pingTimer;
  private int missedPings;
  private Master registeredWith;
  private AgentId agentId;

  private AgentChannel(ServerWebSocket ws, Supplier<Master> master, Vertx vertx, Duration pingEvery,
      int maxMissedPings) {
    this.ws = ws;
    this.master = master;
    this.vertx = vertx;
    this.maxMissedPings = maxMissedPings;
    this.pingTimer = vertx.setPeriodic(pingEvery.toMillis(), t -> ping());
  }

  /**
   * Takes over a freshly upgraded agent WebSocket. The master pings it every {@code pingEvery};
   * the agent's WebSocket stack answers each ping with a pong. After {@code maxMissedPings}
   * pings without any pong the agent is unreachable (a silent partition, a frozen host) and the
   * channel is closed.
   */
  public static void accept(ServerWebSocket ws, Supplier<Master> master, Vertx vertx,
      Duration pingEvery, int maxMissedPings) {
    AgentChannel channel = new AgentChannel(ws, master, vertx, pingEvery, maxMissedPings);
    ws.textMessageHandler(channel::onText);
    ws.pongHandler(pong -> channel.missedPings = 0);
    ws.closeHandler(v -> channel.onClose());
    ws.exceptionHandler(e -> LOG.debug("Agent channel error: {}", e.toString()));
  }

  private void ping() {
    if (ws.isClosed()) {
      vertx.cancelTimer(pingTimer);
      return;
    }
    if (missedPings >= maxMissedPings) {
      LOG.warn("Agent {} missed {} pings; it is unreachable", agentId, missedPings);
      vertx.cancelTimer(pingTimer);
      Master m = master.get();
      if (agentId != null && registeredWith != null && registeredWith == m) {
        m.agentUnresponsive(agentId, this);
      }
      ws.close((short) 1001, "ping timeout");
      return;
    }
    missedPings++;
    ws.writePing(Buffer.buffer("ping"));
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
    vertx.cancelTimer(pingTimer);
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
