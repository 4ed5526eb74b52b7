package dev.terrace.master.agent;

import dev.terrace.master.Master;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's WebSocket on the master: JSON text frames carry the {@link AgentSession} protocol,
 * and the master pings the agent every {@code pingEvery}; the agent's WebSocket stack answers each
 * ping with a pong. After {@code maxMissedPings} pings without any pong the agent is unreachable (a
 * silent partition, a frozen host) and the channel is closed. Runs on the master context.
 */
public final class AgentChannel {
  private static final Logger LOG = LoggerFactory.getLogger(AgentChannel.class);

  private final ServerWebSocket ws;
  private final Vertx vertx;
  private final AgentSession session;
  private final int maxMissedPings;
  private final long pingTimer;
  private int missedPings;

  private AgentChannel(ServerWebSocket ws, Supplier<Master> master, Vertx vertx, Duration pingEvery,
      int maxMissedPings) {
    this.ws = ws;
    this.vertx = vertx;
    this.maxMissedPings = maxMissedPings;
    this.session = new AgentSession(master, ws::writeTextMessage, this::closeSocket);
    this.pingTimer = vertx.setPeriodic(pingEvery.toMillis(), t -> ping());
  }

  public static void accept(ServerWebSocket ws, Supplier<Master> master, Vertx vertx,
      Duration pingEvery, int maxMissedPings) {
    AgentChannel channel = new AgentChannel(ws, master, vertx, pingEvery, maxMissedPings);
    ws.textMessageHandler(channel.session::onText);
    ws.pongHandler(pong -> channel.missedPings = 0);
    ws.closeHandler(v -> {
      vertx.cancelTimer(channel.pingTimer);
      channel.session.onClose();
    });
    ws.exceptionHandler(e -> LOG.debug("Agent channel error: {}", e.toString()));
  }

  private void ping() {
    if (ws.isClosed()) {
      vertx.cancelTimer(pingTimer);
      return;
    }
    if (missedPings >= maxMissedPings) {
      LOG.warn("Agent {} missed {} pings; it is unreachable", session.agentId(), missedPings);
      vertx.cancelTimer(pingTimer);
      session.onUnresponsive();
      closeSocket("ping timeout");
      return;
    }
    missedPings++;
    ws.writePing(Buffer.buffer("ping"));
  }

  private void closeSocket(String reason) {
    if (!ws.isClosed()) {
      ws.close((short) 1000, reason.length() > 100 ? reason.substring(0, 100) : reason);
    }
  }
}
