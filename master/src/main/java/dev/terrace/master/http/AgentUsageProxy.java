package dev.terrace.master.http;

import dev.terrace.common.model.AgentId;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentEntry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.util.function.Supplier;

/**
 * {@code GET /master/agent-usage?agent_id=A}: the agent's {@code /monitor/statistics} (per running
 * task, the usage its cgroups count) answered as is, for the web UI's agent page, which cannot
 * call agents itself. Asynchronous, so the master's loop never waits on an agent.
 */
public final class AgentUsageProxy {
  private final Supplier<Master> master;
  private final WebClient client;

  public AgentUsageProxy(Vertx vertx, Supplier<Master> master) {
    this.master = master;
    this.client = AgentReplies.client(vertx);
  }

  public void handle(RoutingContext ctx) {
    Master m = AgentReplies.leading(ctx, master);
    if (m == null) {
      return;
    }
    String id = ctx.queryParams().get("agent_id");
    if (id == null || id.isEmpty()) {
      ctx.response().setStatusCode(400).end("Missing query parameter 'agent_id'");
      return;
    }
    AgentEntry agent = m.agent(AgentId.of(id));
    if (agent == null) {
      ctx.response().setStatusCode(404).end("No such agent: " + id);
      return;
    }
    int port = agent.info.port() == null ? 5051 : agent.info.port();
    client.get(port, agent.info.hostname(), "/monitor/statistics").timeout(10_000).send()
        .onComplete(ar -> AgentReplies.relay(ctx, ar));
  }
}
