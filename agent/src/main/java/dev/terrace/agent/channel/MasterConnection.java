package dev.terrace.agent.channel;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's end of the agent channel: finds the leading master through the detector, opens one
 * WebSocket to it, sends REGISTER first, and hands the master's messages to the agent. Whenever
 * the socket drops (or the leader changes) it reconnects with exponential backoff and jitter and
 * registers again. Runs on the agent context.
 */
public final class MasterConnection {
  private static final Logger LOG = LoggerFactory.getLogger(MasterConnection.class);
  private static final long MIN_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 15_000;

  private final Vertx vertx;
  private final MasterDetector detector;
  private final Supplier<AgentMessage.Register> registration;
  private final Consumer<MasterMessage> handler;
  private final Runnable onDisconnect;
  private final WebSocketClient client;
  private WebSocket ws;
  private MasterInfo connectedTo;
  private long backoffMs = MIN_BACKOFF_MS;
  private boolean connecting;
  private boolean leaderChangedWhileConnecting;
  private boolean closed;

  public MasterConnection(Vertx vertx, MasterDetector detector,
      Supplier<AgentMessage.Register> registration, Consumer<MasterMessage> handler,
      Runnable onDisconnect) {
    this.vertx = vertx;
    this.detector = detector;
    this.registration = registration;
    this.handler = handler;
    this.onDisconnect = onDisconnect;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(16 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024));
    var ctx = vertx.getOrCreateContext();
    detector.addListener(leader -> ctx.runOnContext(v -> leaderChanged(leader)));
  }

  /** Sends when connected; returns false (and drops the message) otherwise. */
  public boolean send(AgentMessage message) {
    if (ws == null || ws.isClosed()) {
      return false;
    }
    ws.writeTextMessage(Json.toString(message));
    return true;
  }

  public boolean isConnected() {
    return ws != null && !ws.isClosed();
  }

  public void close() {
    closed = true;
    if (ws != null) {
      ws.close();
    }
    client.close();
  }

  private void leaderChanged(Optional<MasterInfo> leader) {
    if (closed) {
      return;
    }
    if (leader.isPresent() && connectedTo != null && !leader.get().id().equals(connectedTo.id())
        && ws != null) {
      LOG.info("Leading master changed to {}; reconnecting", leader.get().id());
      ws.close();
      return;
    }
    if (leader.isPresent()) {
      // A new leader is worth trying at once, whatever backoff the old one's death built up.
      backoffMs = MIN_BACKOFF_MS;
      if (connecting) {
        leaderChangedWhileConnecting = true;
      } else if (ws == null) {
        connect();
      }
    }
  }

  private void connect() {
    if (closed || connecting || ws != null) {
      return;
    }
    Optional<MasterInfo> leader = detector.leader();
    if (leader.isEmpty()) {
      return; // the detector listener calls back once there is one
    }
    connecting = true;
    MasterInfo m = leader.get();
    String host = m.address() != null && m.address().ip() != null ? m.address().ip() : m.hostname();
    WebSocketConnectOptions opts = new WebSocketConnectOptions().setHost(host).setPort(m.port())
        .setURI("/api/v1/agent").setTimeout(10_000);
    client.connect(opts).onComplete(ar -> {
      connecting = false;
      if (ar.failed()) {
        LOG.warn("Cannot reach master at {}:{}: {}", host, m.port(), ar.cause().getMessage());
        if (leaderChangedWhileConnecting) {
          leaderChangedWhileConnecting = false;
          connect();
        } else {
          retry();
        }
        return;
      }
      if (closed) {
        ar.result().close();
        return;
      }
      ws = ar.result();
      connectedTo = m;
      // The backoff is reset on REGISTERED, not here: a master that refuses this agent (gone,
      // machine down) accepts the socket each time and must not be hammered four times a second.
      ws.textMessageHandler(this::onText);
      ws.closeHandler(v -> onClosed());
      ws.exceptionHandler(e -> LOG.debug("Master channel error: {}", e.toString()));
      ws.writeTextMessage(Json.toString(registration.get()));
      LOG.info("Connected to master {} at {}:{}", m.id(), host, m.port());
    });
  }

  private void onText(String text) {
    try {
      MasterMessage message = Json.parse(text, MasterMessage.class);
      if (message instanceof MasterMessage.Registered) {
        backoffMs = MIN_BACKOFF_MS;
      }
      handler.accept(message);
    } catch (WireFormatException e) {
      LOG.error("Unparseable message from master, reconnecting: {}", e.getMessage());
      ws.close();
    }
  }

  private void onClosed() {
    ws = null;
    connectedTo = null;
    onDisconnect.run();
    if (!closed) {
      LOG.warn("Channel to master closed; reconnecting");
      retry();
    }
  }

  private void retry() {
    if (closed) {
      return;
    }
    long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, t -> connect());
  }
}
