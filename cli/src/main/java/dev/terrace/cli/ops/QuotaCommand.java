package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "quota", mixinStandardHelpOptions = true,
    description = {"Show quota with each role's consumption, or set a role's:",
        "terrace quota ROLE --guarantee cpus=2,mem=1024 --limit cpus=8"})
public final class QuotaCommand extends OperatorCommand {
  @Parameters(paramLabel = "ROLE", arity = "0..1", description = "The role to set quota for.")
  String role;

  @Option(names = "--guarantee", split = ",", description = "NAME=AMOUNT the role is guaranteed.")
  Map<String, Double> guarantees = new LinkedHashMap<>();

  @Option(names = "--limit", split = ",", description = "NAME=AMOUNT the role may use at most.")
  Map<String, Double> limits = new LinkedHashMap<>();

  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    if (role != null) {
      ObjectNode update = call("UPDATE_QUOTA");
      ObjectNode config = update.putObject("update_quota").putArray("quota_configs").addObject().put("role", role);
      amounts(config.putObject("guarantees"), guarantees);
      amounts(config.putObject("limits"), limits);
      master.call(update);
    } else if (!guarantees.isEmpty() || !limits.isEmpty()) {
      throw new MasterRefusedException(400, "--guarantee and --limit need a ROLE");
    }
    JsonNode roles = master.call(call("GET_ROLES")).path("get_roles");
    if (options.json) {
      printJson(out, master.call(call("GET_QUOTA")).path("get_quota"));
      return 0;
    }
    Table table = new Table("ROLE", "WEIGHT", "GUARANTEE", "LIMIT", "CONSUMED CPUS", "CONSUMED MEM");
    for (JsonNode r : roles.path("roles")) {
      table.row(r.path("name").asText(), Table.amount(r.path("weight").asDouble()),
          describe(r.path("quota").path("guarantees")), describe(r.path("quota").path("limits")),
          Table.amount(Scalars.sum(r.path("allocated"), "cpus")), Table.amount(Scalars.sum(r.path("allocated"), "mem")));
    }
    table.print(out);
    return 0;
  }

  private static void amounts(ObjectNode into, Map<String, Double> amounts) {
    amounts.forEach((k, v) -> into.putObject(k).put("value", v));
  }

  private static String describe(JsonNode map) {
    StringBuilder s = new StringBuilder();
    map.fields().forEachRemaining(e -> s.append(s.length() == 0 ? "" : ",").append(e.getKey()).append('=')
        .append(Table.amount(e.getValue().path("value").asDouble())));
    return s.length() == 0 ? "-" : s.toString();
  }
}
