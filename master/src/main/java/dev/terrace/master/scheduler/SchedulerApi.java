package dev.terrace.master.scheduler;

import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.scheduler.Call;
import dev.terrace.master.Master;
import dev.terrace.master.state.FrameworkEntry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/scheduler}, the Mesos v1 scheduler API at the HTTP edge: content
 * negotiation, parsing, the checks Mesos makes before a call reaches the master (framework
 * subscribed, stream id matches), and Mesos' status codes. Runs on the master context.
 */
public final class SchedulerApi {
  private final Vertx vertx;
  private final Supplier<Master> master;

  public SchedulerApi(Vertx vertx, Supplier<Master> master) {
    this.vertx = vertx;
    this.master = master;
  }

  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse resp = ctx.response();
    MediaType requestType = MediaType.of(req.getHeader("Content-Type"));
    if (requestType == null) {
      error(resp, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
      return;
    }
    MediaType responseType = MediaType.accepted(req.getHeader("Accept"), requestType);
    if (responseType == null) {
      error(resp, 406, "Expecting 'Accept' to allow application/json or application/x-protobuf");
      return;
    }
    Master m = master.get();
    if (m == null) {
      error(resp, 503, "No leading master");
      return;
    }
    Call call;
    try {
      byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      call = requestType.decodeCall(body);
    } catch (WireFormatException e) {
      error(resp, 400, "Failed to parse body into Call: " + e.getMessage());
      return;
    }
    if (call.type() == null) {
      error(resp, 400, "Expecting 'type' to be present");
      return;
    }
    if (call.type() == Call.Type.SUBSCRIBE) {
      m.metrics().schedulerCall(call.type().name());
      subscribe(ctx, m, call, responseType);
      return;
    }
    if (call.frameworkId() == null) {
      error(resp, 400, "Expecting 'framework_id' to be present");
      return;
    }
    FrameworkEntry fw = m.framework(call.frameworkId());
    if (fw == null || !fw.connected()) {
      error(resp, 403, "Framework " + call.frameworkId() + " is not subscribed");
      return;
    }
    String streamId = req.getHeader("Mesos-Stream-Id");
    if (streamId == null || !streamId.equals(fw.link().streamId())) {
      error(resp, 400, "The stream ID '" + streamId + "' included in this request didn't match"
          + " the stream ID currently associated with framework ID " + fw.id);
      return;
    }
    String invalid = CallValidator.validate(call);
    if (invalid != null) {
      error(resp, 400, invalid);
      return;
    }
    m.metrics().schedulerCall(call.type().name());
    switch (call.type()) {
      case TEARDOWN -> m.teardown(fw);
      case ACCEPT -> m.accept(fw, call.accept());
      case DECLINE -> m.decline(fw, call.decline());
      case KILL -> m.kill(fw, call.kill());
      case SHUTDOWN -> m.shutdownExecutor(fw, call.shutdown());
      case ACKNOWLEDGE -> m.acknowledge(fw, call.acknowledge());
      case RECONCILE -> m.reconcile(fw, call.reconcile());
      case RECONCILE_OPERATIONS -> m.reconcileOperations(fw, call.reconcileOperations());
      case REVIVE -> m.revive(fw, call.revive() == null ? java.util.List.of() : call.revive().roles());
      case SUPPRESS -> m.suppress(fw, call.suppress() == null ? java.util.List.of() : call.suppress().roles());
      case UPDATE_FRAMEWORK -> {
        String problem = m.updateFramework(fw, call.updateFramework());
        if (problem != null) {
          error(resp, 400, problem);
        } else {
          resp.setStatusCode(200).end(); // UPDATE_FRAMEWORK is synchronous in Mesos
        }
        return;
      }
      case ACCEPT_INVERSE_OFFERS -> m.respondToInverseOffers(fw, call.acceptInverseOffers().inverseOfferIds(), true);
      case DECLINE_INVERSE_OFFERS -> m.respondToInverseOffers(fw, call.declineInverseOffers().inverseOfferIds(), false);
      // No operation feedback exists yet: these are accepted and have nothing to act on, as
      // Mesos does for REQUEST (which it always ignores).
      case MESSAGE -> m.frameworkMessage(fw, call.message());
      case REQUEST, ACKNOWLEDGE_OPERATION_STATUS -> { }
      default -> {
        error(resp, 501, "Call " + call.type() + " is not a known scheduler call");
        return;
      }
    }
    resp.setStatusCode(202).end();
  }

  private void subscribe(RoutingContext ctx, Master m, Call call, MediaType responseType) {
    HttpServerResponse resp = ctx.response();
    if (ctx.request().getHeader("Mesos-Stream-Id") != null) {
      error(resp, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      return;
    }
    String invalid = CallValidator.validate(call);
    if (invalid != null) {
      error(resp, 400, invalid);
      return;
    }
    FrameworkId claimed = call.subscribe().frameworkInfo().id();
    if (claimed != null && !claimed.equals(call.frameworkId())) {
      error(resp, 400, "'framework_id' differs from 'subscribe.framework_info.id'");
      return;
    }
    if (claimed != null && m.isCompletedFramework(claimed)) {
      error(resp, 403, "Framework " + claimed + " has been torn down and cannot resubscribe");
      return;
    }
    FrameworkStream stream = new FrameworkStream(vertx, resp, m.config().heartbeatInterval(),
        responseType);
    FrameworkEntry fw = m.subscribe(call.subscribe().frameworkInfo(), stream);
    FrameworkId id = fw.id;
    resp.closeHandler(v -> {
      stream.closedByPeer();
      Master current = master.get();
      if (current == m) {
        m.frameworkDisconnected(id, stream);
      }
    });
  }

  static void error(HttpServerResponse resp, int code, String message) {
    resp.setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
  }
}
