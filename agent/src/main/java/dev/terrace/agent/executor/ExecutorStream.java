package dev.terrace.agent.executor;

import dev.terrace.common.executor.ExecutorEvent;
import dev.terrace.common.json.Json;
import dev.terrace.common.recordio.RecordIO;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * One executor SUBSCRIBE response: a chunked RecordIO stream of JSON executor events with a
 * HEARTBEAT every interval, until the executor goes away or a new subscription replaces it.
 */
final class ExecutorStream {
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final long heartbeatTimer;
  private boolean closed;

  ExecutorStream(Vertx vertx, HttpServerResponse response, Duration heartbeat, Runnable onClosed) {
    this.vertx = vertx;
    this.response = response;
    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
    this.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), t -> send(ExecutorEvent.heartbeat()));
    response.closeHandler(v -> {
      if (!closed) {
        closed = true;
        vertx.cancelTimer(heartbeatTimer);
        onClosed.run();
      }
    });
  }

  boolean isOpen() {
    return !closed;
  }

  void send(ExecutorEvent event) {
    if (!closed) {
      response.write(Buffer.buffer(RecordIO.encode(Json.toBytes(event))));
    }
  }

  void close() {
    if (!closed) {
      closed = true;
      vertx.cancelTimer(heartbeatTimer);
      response.end();
    }
  }
}
