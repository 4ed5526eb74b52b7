package dev.terrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.jobs.FrameworkApi;
import dev.terrace.cli.jobs.ShellWords;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.HealthCheck;
import dev.terrace.sdk.placement.Constraint;
import dev.terrace.services.spec.HealthSpec;
import dev.terrace.services.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "service", mixinStandardHelpOptions = true,
    description = "Long-running services through the services framework.",
    subcommands = {ServiceCommand.Deploy.class, ServiceCommand.Ls.class, ServiceCommand.Show.class,
        ServiceCommand.Scale.class, ServiceCommand.Restart.class, ServiceCommand.Rollback.class,
        ServiceCommand.Rm.class})
final class ServiceCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  static final class Target {
    @Option(names = "--services", defaultValue = "${env:TERRACE_SERVICES:-http://127.0.0.1:5070}",
        description = "The services framework's URL, any instance (env TERRACE_SERVICES, default ${DEFAULT-VALUE}).")
    String url;

    FrameworkApi api() {
      return new FrameworkApi(url);
    }
  }

  static void summary(JsonNode s) {
    System.out.println("service " + s.path("spec").path("name").asText() + " version " + s.path("version").asInt()
        + ": " + s.path("healthy").asInt() + "/" + s.path("spec").path("instances").asInt() + " healthy"
        + (s.path("deploying").asBoolean() ? ", deploying" : ""));
  }

  @Command(name = "deploy", mixinStandardHelpOptions = true,
      description = "Create a service, or roll out a changed one as a new version.")
  static final class Deploy implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1..*", paramLabel = "CMD", description = "The command (after --); one word runs under sh -c as is.")
    List<String> command = new ArrayList<>();
    @Option(names = "--instances", defaultValue = "1") int instances;
    @Option(names = "--image") String image;
    @Option(names = "--cpus") Double cpus;
    @Option(names = "--mem", description = "MB") Double mem;
    @Option(names = {"-p", "--port"}, description = "a host port (0 = any free one; repeatable); $PORT0.. in the task")
    List<Integer> ports = new ArrayList<>();
    @Option(names = "--health-http", description = "HTTP health check of this path on the first port") String healthHttp;
    @Option(names = "--health-tcp", description = "TCP health check on the first port") boolean healthTcp;
    @Option(names = "--health-cmd", description = "health check command run in the container") String healthCmd;
    @Option(names = "--health-grace", description = "seconds before failed checks count") Double healthGrace;
    @Option(names = "--env", description = "NAME=VALUE (repeatable)") Map<String, String> env = new LinkedHashMap<>();
    @Option(names = "--label", description = "KEY=VALUE (repeatable)") Map<String, String> labels = new LinkedHashMap<>();
    @Option(names = "--constraint", description = "field:LIKE|UNLIKE|UNIQUE|CLUSTER[:value] (repeatable)") List<String> constraints = new ArrayList<>();
    @Option(names = "--role") String role;
    @Option(names = "--kill-grace", description = "seconds between SIGTERM and SIGKILL") Double killGrace;
    @Option(names = "--min-health", description = "minimum_health_capacity during a deploy, 0-1 (default 1)") Double minHealth;
    @Option(names = "--max-over", description = "maximum_over_capacity during a deploy, 0-1 (default 1)") Double maxOver;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        HealthSpec health = null;
        if (healthHttp != null) {
          health = new HealthSpec(HealthCheck.Type.HTTP, healthHttp, 0, null, healthGrace, null, null, null);
        } else if (healthTcp) {
          health = new HealthSpec(HealthCheck.Type.TCP, null, 0, null, healthGrace, null, null, null);
        } else if (healthCmd != null) {
          health = new HealthSpec(HealthCheck.Type.COMMAND, null, 0, healthCmd, healthGrace, null, null, null);
        }
        ServiceSpec spec = new ServiceSpec(name, image, command.isEmpty() ? null : ShellWords.join(command), cpus, mem,
            null, instances, ports, health, constraints.stream().map(Constraint::parse).toList(), env, labels,
            List.<CommandInfo.Uri>of(), role, killGrace, minHealth, maxOver, null);
        summary(target.api().put("/v1/services/" + name, spec));
        return 0;
      });
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List services.")
  static final class Ls implements Callable<Integer> {
    @Mixin Target target;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        System.out.printf("%-24s %-8s %-10s %-8s %-8s %s%n", "NAME", "VERSION", "INSTANCES", "RUNNING", "HEALTHY", "DEPLOYING");
        for (JsonNode s : target.api().get("/v1/services")) {
          System.out.printf("%-24s %-8d %-10d %-8d %-8d %s%n", s.path("name").asText(), s.path("version").asInt(),
              s.path("instances").asInt(), s.path("running").asInt(), s.path("healthy").asInt(),
              s.path("deploying").asBoolean() ? "yes" : "no");
        }
        return 0;
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A service, its instances and endpoints.")
  static final class Show implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        JsonNode s = target.api().get("/v1/services/" + name);
        summary(s);
        System.out.printf("%-28s %-8s %-14s %-8s %-16s %s%n", "TASK", "VERSION", "STATE", "HEALTHY", "HOST", "PORTS");
        for (JsonNode i : s.path("instances")) {
          System.out.printf("%-28s %-8d %-14s %-8s %-16s %s%n", i.path("task_id").asText(), i.path("version").asInt(),
              i.path("state").asText() + (i.path("killing").asBoolean() ? "*" : ""), i.path("healthy").asText("-"),
              i.path("hostname").asText(), i.path("ports"));
        }
        s.path("waiting").forEach(w -> System.out.println("waiting: " + w.asText()));
        JsonNode endpoints = target.api().get("/v1/services/" + name + "/endpoints");
        endpoints.forEach(e -> System.out.println("endpoint " + e.path("address").asText()));
        return 0;
      });
    }
  }

  @Command(name = "scale", mixinStandardHelpOptions = true, description = "Change the number of instances.")
  static final class Scale implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "N") int instances;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        summary(target.api().post("/v1/services/" + name + "/scale", Map.of("instances", instances)));
        return 0;
      });
    }
  }

  @Command(name = "restart", mixinStandardHelpOptions = true, description = "Replace every instance, rolling.")
  static final class Restart implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        summary(target.api().post("/v1/services/" + name + "/restart"));
        return 0;
      });
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Roll back to the previous version.")
  static final class Rollback implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        summary(target.api().post("/v1/services/" + name + "/rollback"));
        return 0;
      });
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Kill every instance and remove the service.")
  static final class Rm implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        target.api().delete("/v1/services/" + name);
        System.out.println("service " + name + " removed");
        return 0;
      });
    }
  }
}
