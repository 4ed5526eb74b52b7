package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.terrace.common.json.Json;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"Live resource usage of running tasks, from every agent's /monitor/statistics:",
        "CPU (cores used over the last interval, of the limit) and memory (RSS of the limit)."})
public final class TopCommand extends OperatorCommand {
  @Option(names = "--interval", defaultValue = "2", description = "Seconds between samples (default ${DEFAULT-VALUE}).")
  double interval;

  @Option(names = {"-n", "--iterations"}, defaultValue = "0",
      description = "Stop after this many screens (default: until interrupted).")
  int iterations;

  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    Map<String, Sample> previous = new HashMap<>();
    for (int i = 0; iterations <= 0 || i < iterations; i++) {
      Map<String, Sample> now = sample(master);
      if (options.json) {
        ArrayNode all = Json.mapper().createArrayNode();
        now.values().forEach(s -> all.add(s.raw));
        printJson(out, all);
      } else {
        if (iterations != 1) {
          out.print("\033[H\033[2J"); // clear the screen between screens, as top does
        }
        print(out, now, previous);
      }
      previous = now;
      if (iterations > 0 && i == iterations - 1) {
        break;
      }
      Thread.sleep((long) (interval * 1000));
    }
    return 0;
  }

  private record Sample(String task, String host, double cpuSeconds, double cpuLimit, long rss,
      long memLimit, double timestamp, JsonNode raw) {}

  private Map<String, Sample> sample(MasterHttp master) throws Exception {
    Map<String, Sample> out = new HashMap<>();
    for (JsonNode a : master.call(call("GET_AGENTS")).path("get_agents").path("agents")) {
      String host = a.path("agent_info").path("hostname").asText();
      int port = a.path("agent_info").path("port").asInt(5051);
      JsonNode stats;
      try {
        HttpResponse<String> r = master.client().send(HttpRequest.newBuilder(
            URI.create("http://" + host + ":" + port + "/monitor/statistics")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        stats = Json.mapper().readTree(r.body());
      } catch (java.io.IOException e) {
        System.err.println("terrace: agent " + host + ":" + port + " did not answer: " + e.getMessage());
        continue;
      }
      for (JsonNode e : stats) {
        JsonNode s = e.path("statistics");
        String task = e.path("executor_id").asText();
        out.put(task, new Sample(task, host,
            s.path("cpus_user_time_secs").asDouble() + s.path("cpus_system_time_secs").asDouble(),
            s.path("cpus_limit").asDouble(), s.path("mem_rss_bytes").asLong(), s.path("mem_limit_bytes").asLong(),
            s.path("timestamp").asDouble(), e));
      }
    }
    return out;
  }

  private static void print(PrintStream out, Map<String, Sample> now, Map<String, Sample> previous) {
    List<Sample> rows = new ArrayList<>(now.values());
    rows.sort((x, y) -> Long.compare(y.rss, x.rss));
    Table table = new Table("TASK", "HOST", "CPU", "CPU LIMIT", "MEM (MB)", "MEM LIMIT (MB)");
    for (Sample s : rows) {
      Sample before = previous.get(s.task);
      String cpu = "-";
      if (before != null && s.timestamp > before.timestamp) {
        cpu = Table.amount(Math.max(0, (s.cpuSeconds - before.cpuSeconds) / (s.timestamp - before.timestamp)));
      }
      table.row(s.task, s.host, cpu, s.cpuLimit > 0 ? Table.amount(s.cpuLimit) : "-",
          Table.amount(s.rss / 1048576.0), s.memLimit > 0 ? Table.amount(s.memLimit / 1048576.0) : "-");
    }
    table.print(out);
  }
}
