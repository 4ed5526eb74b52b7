package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "maintenance", mixinStandardHelpOptions = true,
    description = {"Show the maintenance schedule and status; schedule, start and stop maintenance of",
        "machines (by hostname); drain, deactivate, reactivate or mark gone single agents."},
    subcommands = {
        MaintenanceCommand.Schedule.class, MaintenanceCommand.Unschedule.class,
        MaintenanceCommand.Start.class, MaintenanceCommand.Stop.class,
        MaintenanceCommand.Drain.class, MaintenanceCommand.Deactivate.class,
        MaintenanceCommand.Reactivate.class, MaintenanceCommand.Gone.class})
public final class MaintenanceCommand extends OperatorCommand {
  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    JsonNode schedule = master.call(call("GET_MAINTENANCE_SCHEDULE")).path("get_maintenance_schedule");
    JsonNode status = master.call(call("GET_MAINTENANCE_STATUS")).path("get_maintenance_status");
    if (options.json) {
      ObjectNode both = call("MAINTENANCE");
      both.remove("type");
      both.set("schedule", schedule.path("schedule"));
      both.set("status", status.path("status"));
      printJson(out, both);
      return 0;
    }
    Table table = new Table("MACHINE", "MODE", "WINDOW START", "DURATION", "ANSWERS");
    for (JsonNode w : schedule.path("schedule").path("windows")) {
      for (JsonNode m : w.path("machine_ids")) {
        String name = machine(m);
        boolean down = status.path("status").path("down_machines").toString().contains("\"" + m.path("hostname").asText() + "\"");
        table.row(name, down ? "DOWN" : "DRAINING",
            Instant.ofEpochSecond(0, w.path("unavailability").path("start").path("nanoseconds").asLong()),
            w.path("unavailability").has("duration")
                ? Duration.ofNanos(w.path("unavailability").path("duration").path("nanoseconds").asLong()) : "open",
            answers(status, m));
      }
    }
    if (table.size() == 0) {
      out.println("No machines scheduled for maintenance.");
    } else {
      table.print(out);
    }
    return 0;
  }

  private static String answers(JsonNode status, JsonNode machine) {
    for (JsonNode d : status.path("status").path("draining_machines")) {
      if (d.path("id").equals(machine)) {
        StringBuilder s = new StringBuilder();
        d.path("statuses").forEach(st -> s.append(s.length() == 0 ? "" : ", ")
            .append(st.path("framework_id").path("value").asText()).append(": ").append(st.path("status").asText()));
        return s.length() == 0 ? "-" : s.toString();
      }
    }
    return "-";
  }

  static String machine(JsonNode m) {
    String host = m.path("hostname").asText("");
    String ip = m.path("ip").asText("");
    return host.isEmpty() ? ip : ip.isEmpty() ? host : host + " (" + ip + ")";
  }

  static ArrayNode machines(ObjectNode into, List<String> hosts) {
    ArrayNode list = into.putArray("machines");
    hosts.forEach(h -> list.addObject().put("hostname", h));
    return list;
  }

  @Command(name = "schedule", mixinStandardHelpOptions = true,
      description = "Schedule machines for a maintenance window (replacing any window they were in).")
  static final class Schedule extends OperatorCommand {
    @Parameters(paramLabel = "HOST", arity = "1..*", description = "Machines by hostname.")
    List<String> hosts;

    @Option(names = "--start", defaultValue = "now", description = "ISO-8601 instant, 'now', or +DURATION such as +1h (default ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--duration", description = "How long, such as 2h or 30m (default: open-ended).")
    String duration;

    @Override
    protected int run(MasterHttp master, PrintStream out) throws Exception {
      Instant from = instant(start);
      JsonNode current = master.call(call("GET_MAINTENANCE_SCHEDULE")).path("get_maintenance_schedule").path("schedule");
      ObjectNode update = call("UPDATE_MAINTENANCE_SCHEDULE");
      ArrayNode windows = update.putObject("update_maintenance_schedule").putObject("schedule").putArray("windows");
      keepOthers(current, hosts, windows);
      ObjectNode window = windows.addObject();
      ArrayNode ids = window.putArray("machine_ids");
      hosts.forEach(h -> ids.addObject().put("hostname", h));
      ObjectNode unavailability = window.putObject("unavailability");
      unavailability.putObject("start").put("nanoseconds", from.getEpochSecond() * 1_000_000_000L + from.getNano());
      if (duration != null) {
        unavailability.putObject("duration").put("nanoseconds", parseDuration(duration).toNanos());
      }
      master.call(update);
      out.println("scheduled " + String.join(", ", hosts) + " from " + from);
      return 0;
    }
  }

  @Command(name = "unschedule", mixinStandardHelpOptions = true, description = "Take machines out of the schedule.")
  static final class Unschedule extends OperatorCommand {
    @Parameters(paramLabel = "HOST", arity = "1..*")
    List<String> hosts;

    @Override
    protected int run(MasterHttp master, PrintStream out) throws Exception {
      JsonNode current = master.call(call("GET_MAINTENANCE_SCHEDULE")).path("get_maintenance_schedule").path("schedule");
      ObjectNode update = call("UPDATE_MAINTENANCE_SCHEDULE");
      keepOthers(current, hosts, update.putObject("update_maintenance_schedule").putObject("schedule").putArray("windows"));
      master.call(update);
      out.println("unscheduled " + String.join(", ", hosts));
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Machines go DOWN: their agents and tasks are removed until 'stop'.")
  static final class Start extends MachinesCall {
    Start() {
      super("START_MAINTENANCE", "maintenance started on ");
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Machines are UP again and leave the schedule.")
  static final class Stop extends MachinesCall {
    Stop() {
      super("STOP_MAINTENANCE", "maintenance stopped on ");
    }
  }

  /** An operator call whose only argument is a list of machines. */
  abstract static class MachinesCall extends OperatorCommand {
    private final String type;
    private final String done;

    @Parameters(paramLabel = "HOST", arity = "1..*", description = "Machines by hostname.")
    List<String> hosts;

    MachinesCall(String type, String done) {
      this.type = type;
      this.done = done;
    }

    @Override
    protected int run(MasterHttp master, PrintStream out) throws Exception {
      ObjectNode c = call(type);
      machines(c.putObject(type.toLowerCase()), hosts);
      master.call(c);
      out.println(done + String.join(", ", hosts));
      return 0;
    }
  }

  @Command(name = "drain", mixinStandardHelpOptions = true,
      description = "Deactivate an agent and kill its tasks; it is DRAINED once none is left.")
  static final class Drain extends OperatorCommand {
    @Parameters(paramLabel = "AGENT", description = "The agent id.")
    String agent;

    @Option(names = "--grace", description = "At most this many seconds of kill grace per task.")
    Double grace;

    @Option(names = "--mark-gone", description = "Mark the agent gone once drained.")
    boolean markGone;

    @Override
    protected int run(MasterHttp master, PrintStream out) throws Exception {
      ObjectNode c = call("DRAIN_AGENT");
      ObjectNode body = c.putObject("drain_agent");
      body.putObject("agent_id").put("value", agent);
      if (grace != null) {
        body.putObject("max_grace_period").put("seconds", (long) Math.floor(grace))
            .put("nanos", (int) Math.round((grace - Math.floor(grace)) * 1e9));
      }
      body.put("mark_gone", markGone);
      master.call(c);
      out.println("draining " + agent);
      return 0;
    }
  }

  @Command(name = "deactivate", mixinStandardHelpOptions = true, description = "No more offers from an agent; its tasks keep running.")
  static final class Deactivate extends AgentCall {
    Deactivate() {
      super("DEACTIVATE_AGENT", "deactivated");
    }
  }

  @Command(name = "reactivate", mixinStandardHelpOptions = true, description = "Offer a deactivated or drained agent again.")
  static final class Reactivate extends AgentCall {
    Reactivate() {
      super("REACTIVATE_AGENT", "reactivated");
    }
  }

  @Command(name = "gone", mixinStandardHelpOptions = true,
      description = "Mark an agent gone for good: its tasks are TASK_GONE_BY_OPERATOR and it may never return.")
  static final class Gone extends AgentCall {
    Gone() {
      super("MARK_AGENT_GONE", "marked gone");
    }
  }

  /** An operator call whose only argument is an agent id. */
  abstract static class AgentCall extends OperatorCommand {
    private final String type;
    private final String done;

    @Parameters(paramLabel = "AGENT", description = "The agent id.")
    String agent;

    AgentCall(String type, String done) {
      this.type = type;
      this.done = done;
    }

    @Override
    protected int run(MasterHttp master, PrintStream out) throws Exception {
      ObjectNode c = call(type);
      c.putObject(type.toLowerCase()).putObject("agent_id").put("value", agent);
      master.call(c);
      out.println(agent + " " + done);
      return 0;
    }
  }

  /** Copies the schedule's windows without {@code hosts} (windows left empty are dropped). */
  private static void keepOthers(JsonNode schedule, List<String> hosts, ArrayNode into) {
    for (JsonNode w : schedule.path("windows")) {
      ObjectNode copy = w.deepCopy();
      ArrayNode ids = copy.putArray("machine_ids");
      w.path("machine_ids").forEach(m -> {
        if (!hosts.contains(m.path("hostname").asText())) {
          ids.add(m);
        }
      });
      if (!ids.isEmpty()) {
        into.add(copy);
      }
    }
  }

  static Instant instant(String text) throws MasterRefusedException {
    try {
      if (text.equals("now")) {
        return Instant.now();
      }
      if (text.startsWith("+")) {
        return Instant.now().plus(parseDuration(text.substring(1)));
      }
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new MasterRefusedException(400, "'" + text + "' is not an ISO-8601 instant, 'now' or +DURATION");
    }
  }

  /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, or ISO-8601 {@code PT2H} (as every flag). */
  static Duration parseDuration(String text) throws MasterRefusedException {
    try {
      return new dev.terrace.cli.DurationConverter().convert(text);
    } catch (picocli.CommandLine.TypeConversionException e) {
      throw new MasterRefusedException(400, e.getMessage());
    }
  }
}
