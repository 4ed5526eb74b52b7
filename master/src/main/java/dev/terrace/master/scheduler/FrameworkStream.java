package dev.terrace.master.scheduler;

import dev.terrace.common.recordio.RecordIO;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.state.FrameworkLink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SUBSCRIBE response: a chunked RecordIO stream of JSON events with a HEARTBEAT every
 * interval. A framework that stops reading (its write queue stays full past a heartbeat) is
 * disconnected rather than let the master buffer without bound.
 */
final class FrameworkStream implements FrameworkLink {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkStream.class);

  private final String streamId = UUID.randomUUID().toString();
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final MediaType type;
  private final long heartbeatTimer;
  private boolean closed;

  FrameworkStream(Vertx vertx, HttpServerResponse response, Duration heartbeat, MediaType type) {
    this.vertx = vertx;
    this.response = response;
    this.type = type;
    response.setStatusCode(200);
    response.setChunked(true);
    response.putHeader("Content-Type", type.mime);
    response.putHeader("Mesos-Stream-Id", streamId);
    response.putHeader("Cache-Control", "no-cache");
    this.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), t -> heartbeat());
  }

  private void heartbeat() {
    if (response.writeQueueFull()) {
      LOG.warn("Framework stream {} is not being read; closing it", streamId);
      close();
      return;
    }
    send(Event.heartbeat());
  }

  @Override
  public String streamId() {
    return streamId;
  }

  @Override
  public void send(Event event) {
    if (closed) {
      return;
    }
    response.write(Buffer.buffer(RecordIO.encode(type.encodeEvent(event))));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(heartbeatTimer);
    response.end();
  }

  /** Called when the connection went away from the framework's side. */
  void closedByPeer() {
    closed = true;
    vertx.cancelTimer(heartbeatTimer);
  }
}
