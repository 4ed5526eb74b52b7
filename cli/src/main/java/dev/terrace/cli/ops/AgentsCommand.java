package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "agents", mixinStandardHelpOptions = true,
    description = "List agents: state (active, deactivated, draining, drained, disconnected), resources used of total, tasks.")
public final class AgentsCommand extends OperatorCommand {
  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    JsonNode agents = master.call(call("GET_AGENTS")).path("get_agents");
    if (options.json) {
      printJson(out, agents);
      return 0;
    }
    Map<String, Integer> tasks = new HashMap<>();
    for (JsonNode t : master.call(call("GET_TASKS")).path("get_tasks").path("tasks")) {
      tasks.merge(t.path("agent_id").path("value").asText(), 1, Integer::sum);
    }
    Table table = new Table("ID", "HOST", "STATE", "CPUS", "MEM (MB)", "TASKS");
    for (JsonNode a : agents.path("agents")) {
      String id = a.path("agent_info").path("id").path("value").asText();
      table.row(id, a.path("agent_info").path("hostname").asText(), state(a),
          Scalars.used(a, "cpus"), Scalars.used(a, "mem"), tasks.getOrDefault(id, 0));
    }
    table.print(out);
    return 0;
  }

  /** One word for what an operator most needs to know about the agent. */
  static String state(JsonNode agent) {
    String drain = agent.path("drain_info").path("state").asText("");
    if (!drain.isEmpty()) {
      return drain.toLowerCase();
    }
    if (agent.path("deactivated").asBoolean()) {
      return "deactivated";
    }
    return agent.path("active").asBoolean() ? "active" : "disconnected";
  }
}
