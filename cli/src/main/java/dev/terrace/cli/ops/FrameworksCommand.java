package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "frameworks", mixinStandardHelpOptions = true,
    description = "List frameworks: roles, whether connected, tasks, resources allocated and offered.")
public final class FrameworksCommand extends OperatorCommand {
  @Option(names = "--all", description = "Include completed (torn down) frameworks.")
  boolean all;

  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    JsonNode frameworks = master.call(call("GET_FRAMEWORKS")).path("get_frameworks");
    if (options.json) {
      printJson(out, frameworks);
      return 0;
    }
    Map<String, Integer> tasks = new HashMap<>();
    for (JsonNode t : master.call(call("GET_TASKS")).path("get_tasks").path("tasks")) {
      tasks.merge(t.path("framework_id").path("value").asText(), 1, Integer::sum);
    }
    Table table = new Table("ID", "NAME", "ROLES", "STATE", "TASKS", "CPUS", "MEM (MB)", "OFFERED CPUS");
    List<JsonNode> rows = new ArrayList<>();
    frameworks.path("frameworks").forEach(rows::add);
    if (all) {
      frameworks.path("completed_frameworks").forEach(rows::add);
    }
    for (JsonNode f : rows) {
      JsonNode info = f.path("framework_info");
      String id = info.path("id").path("value").asText();
      List<String> roles = new ArrayList<>();
      info.path("roles").forEach(r -> roles.add(r.asText()));
      if (roles.isEmpty()) {
        roles.add(info.path("role").asText("*"));
      }
      String state = f.path("connected").asBoolean() ? "connected"
          : frameworks.path("completed_frameworks").toString().contains(id) ? "completed" : "disconnected";
      table.row(id, info.path("name").asText(), String.join(",", roles), state, tasks.getOrDefault(id, 0),
          Table.amount(Scalars.sum(f.path("allocated_resources"), "cpus")),
          Table.amount(Scalars.sum(f.path("allocated_resources"), "mem")),
          Table.amount(Scalars.sum(f.path("offered_resources"), "cpus")));
    }
    table.print(out);
    return 0;
  }
}
