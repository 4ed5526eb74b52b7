package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.recordio.RecordIO;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.Master;
import dev.terrace.master.MasterObserver;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operator SUBSCRIBE (Mesos v1 {@code master.proto} {@code Event}): a chunked RecordIO stream
 * of JSON events: SUBSCRIBED with the whole state, then TASK_ADDED, TASK_UPDATED, AGENT_ADDED,
 * AGENT_REMOVED, FRAMEWORK_ADDED, FRAMEWORK_UPDATED, FRAMEWORK_REMOVED as they happen, and a
 * HEARTBEAT every interval. It ends when the master stops leading (the client resubscribes to
 * the new leader, as with Mesos) or when the client stops reading: a subscriber whose write queue
 * is still full at a heartbeat is dropped rather than buffered without bound.
 */
final class OperatorEventStream implements MasterObserver {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorEventStream.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Vertx vertx;
  private final Master master;
  private final HttpServerResponse response;
  private final OperatorEncoding encoding;
  private final long heartbeatTimer;
  private boolean closed;
  /**
   * Events that happened while the snapshot was being serialized, written right after it. Null
   * once the snapshot is out.
   */
  private List<Buffer> waiting = new ArrayList<>();

  private OperatorEventStream(Vertx vertx, Master master, HttpServerResponse response, Duration heartbeat,
      OperatorEncoding encoding) {
    this.vertx = vertx;
    this.master = master;
    this.response = response;
    this.encoding = encoding;
    this.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), t -> heartbeat());
  }

  /** Answers SUBSCRIBE on the master's context: the snapshot first, then every change. */
  static void open(Vertx vertx, Master master, HttpServerResponse response, Duration heartbeat,
      OperatorEncoding encoding) {
    response.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", encoding.mime)
        .putHeader("Mesos-Stream-Id", UUID.randomUUID().toString())
        .putHeader("Cache-Control", "no-cache");
    OperatorEventStream stream = new OperatorEventStream(vertx, master, response, heartbeat, encoding);
    ObjectNode subscribed = F.objectNode();
    subscribed.set("get_state", OperatorV1.getState(master));
    subscribed.put("heartbeat_interval_seconds", heartbeat.toMillis() / 1000.0);
    ObjectNode event = F.objectNode().put("type", "SUBSCRIBED");
    event.set("subscribed", subscribed);
    master.addObserver(stream);
    response.closeHandler(v -> stream.close(false));
    response.exceptionHandler(e -> stream.close(false));
    // The snapshot is built here, on the master's context (a consistent view), but encoded on a
    // worker: at 100,000 tasks it is ~56 MB of JSON, seconds of the master's loop otherwise.
    // The tree is fresh (no live object in it), so the worker may read it; events meanwhile wait.
    vertx.executeBlocking(() -> Buffer.buffer(RecordIO.encode(encoding.encodeEvent(event))), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.error("Cannot encode the SUBSCRIBED snapshot: {}; dropping the subscriber",
                String.valueOf(ar.cause().getMessage()));
          }
          stream.snapshotWritten(ar.succeeded() ? ar.result() : null);
        });
  }

  private void snapshotWritten(Buffer snapshot) {
    if (closed) {
      return;
    }
    if (snapshot == null) {
      close(true);
      return;
    }
    response.write(snapshot);
    waiting.forEach(response::write);
    waiting = null;
  }

  @Override
  public void taskAdded(TaskEntry task) {
    send("TASK_ADDED", "task_added", F.objectNode().set("task", OperatorV1.task(task)));
  }

  @Override
  public void taskUpdated(TaskEntry task, TaskStatus status) {
    ObjectNode n = F.objectNode();
    n.putObject("framework_id").put("value", task.frameworkId.value());
    n.set("status", Json.toTree(status));
    n.put("state", task.state().name());
    send("TASK_UPDATED", "task_updated", n);
  }

  @Override
  public void agentAdded(AgentEntry agent) {
    Resources used = Resources.empty();
    for (TaskEntry t : agent.tasks.values()) {
      used = used.plus(t.resources);
    }
    send("AGENT_ADDED", "agent_added",
        F.objectNode().set("agent", OperatorV1.agent(master, agent, used, Resources.empty())));
  }

  @Override
  public void agentRemoved(AgentId agent) {
    ObjectNode n = F.objectNode();
    n.putObject("agent_id").put("value", agent.value());
    send("AGENT_REMOVED", "agent_removed", n);
  }

  @Override
  public void frameworkAdded(FrameworkEntry framework) {
    send("FRAMEWORK_ADDED", "framework_added",
        F.objectNode().set("framework", OperatorV1.framework(framework, true)));
  }

  @Override
  public void frameworkUpdated(FrameworkEntry framework) {
    send("FRAMEWORK_UPDATED", "framework_updated",
        F.objectNode().set("framework", OperatorV1.framework(framework, true)));
  }

  @Override
  public void frameworkRemoved(FrameworkEntry framework) {
    send("FRAMEWORK_REMOVED", "framework_removed",
        F.objectNode().set("framework_info", Json.toTree(framework.info)));
  }

  @Override
  public void stopped() {
    close(true);
  }

  private void heartbeat() {
    if (response.writeQueueFull()) {
      LOG.warn("Operator event subscriber is not reading; dropping it");
      close(true);
      return;
    }
    send("HEARTBEAT", null, null);
  }

  private void send(String type, String field, ObjectNode payload) {
    if (closed) {
      return;
    }
    ObjectNode event = F.objectNode().put("type", type);
    if (field != null) {
      event.set(field, payload);
    }
    byte[] bytes;
    try {
      bytes = encoding.encodeEvent(event);
    } catch (RuntimeException e) {
      // Never let a subscriber's encoding trouble reach the master's code that told us.
      LOG.error("Cannot encode operator event {}: {}; dropping the subscriber", type, e.getMessage());
      close(true);
      return;
    }
    Buffer record = Buffer.buffer(RecordIO.encode(bytes));
    if (waiting != null) {
      waiting.add(record);
    } else {
      response.write(record);
    }
  }

  private void close(boolean end) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(heartbeatTimer);
    master.removeObserver(this);
    if (end) {
      response.end();
    }
  }
}
