package dev.terrace.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.ops.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code terrace image ls|pull|import|rm|prune}: the image cache of one agent, through that
 * agent's HTTP API (an agent owns its store; the CLI may run on another host).
 */
@Command(name = "image", mixinStandardHelpOptions = true,
    description = "Manage the images cached on an agent.",
    subcommands = {ImageCommand.Ls.class, ImageCommand.Pull.class, ImageCommand.Import.class,
        ImageCommand.Rm.class, ImageCommand.Prune.class})
public final class ImageCommand implements Callable<Integer> {
  @Option(names = "--agent", defaultValue = "${env:TERRACE_AGENT:-http://127.0.0.1:5051}",
      description = "The agent's URL (env TERRACE_AGENT, default ${DEFAULT-VALUE}).",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  String agent;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return 2;
  }

  /** Runs {@code action} and turns its failure into one line and exit code 1. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    ImageCommand parent;

    abstract void run(AgentHttp agent) throws Exception;

    @Override
    public Integer call() throws Exception {
      try {
        run(new AgentHttp(parent.agent));
        return 0;
      } catch (java.io.IOException e) {
        System.err.println("terrace image: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "ls", description = "List cached images with size and last use.")
  static final class Ls extends Sub {
    @Override
    void run(AgentHttp agent) throws Exception {
      JsonNode answer = agent.get("/images");
      Table t = new Table("REFERENCE", "SIZE", "LAST USED", "IN USE", "SOURCE", "MANIFEST");
      for (JsonNode i : answer.path("images")) {
        t.row(i.path("reference").asText(), ByteSizes.format(i.path("size_bytes").asLong()),
            i.path("last_used").asText(), i.path("in_use").asBoolean() ? "yes" : "no",
            i.path("source").asText(), i.path("manifest").asText().substring(0, 19));
      }
      t.print(System.out);
      System.out.println("store: " + ByteSizes.format(answer.path("disk_bytes").asLong()));
    }
  }

  @Command(name = "pull", description = "Pull an image into the agent's cache.")
  static final class Pull extends Sub {
    @Parameters(paramLabel = "IMAGE")
    String reference;

    @Override
    void run(AgentHttp agent) throws Exception {
      var pull = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return agent.post("/images/pull", dev.terrace.common.json.Json.mapper()
              .createObjectNode().put("reference", reference).toString());
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      ProgressBar bar = new ProgressBar(System.err);
      String query = "/images/progress?reference="
          + java.net.URLEncoder.encode(reference, java.nio.charset.StandardCharsets.UTF_8);
      while (!pull.isDone()) {
        agent.poll(query).ifPresent(p -> bar.show(p.path("done_bytes").asLong(),
            p.path("total_bytes").asLong()));
        try {
          pull.get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // poll again
        } catch (java.util.concurrent.ExecutionException e) {
          break; // reported below
        }
      }
      bar.end();
      JsonNode i;
      try {
        i = pull.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
      System.out.println(i.path("reference").asText() + " " + i.path("manifest").asText() + " "
          + ByteSizes.format(i.path("size_bytes").asLong()));
    }
  }

  @Command(name = "import", description = "Import a docker save archive or an OCI layout tar"
      + " into the agent's cache (uploaded to the agent).")
  static final class Import extends Sub {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    void run(AgentHttp agent) throws Exception {
      if (!Files.isRegularFile(file)) {
        throw new java.io.IOException(file + " is not a file (an OCI layout directory can be"
            + " imported with tar -C DIR -cf FILE.tar . or through the agent's --image-dir)");
      }
      for (JsonNode r : agent.upload("/images/import", file).path("imported")) {
        System.out.println("imported " + r.asText());
      }
    }
  }

  @Command(name = "rm", description = "Remove images no container uses.")
  static final class Rm extends Sub {
    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    java.util.List<String> references;

    @Override
    void run(AgentHttp agent) throws Exception {
      for (String r : references) {
        JsonNode answer = agent.delete("/images", r);
        System.out.println("removed " + answer.path("removed").path(0).asText() + " (freed "
            + ByteSizes.format(answer.path("freed_bytes").asLong()) + ")");
      }
    }
  }

  @Command(name = "prune", description = "Remove every image no container uses.")
  static final class Prune extends Sub {
    @Override
    void run(AgentHttp agent) throws Exception {
      JsonNode answer = agent.post("/images/prune", "{}");
      for (JsonNode r : answer.path("removed")) {
        System.out.println("removed " + r.asText());
      }
      System.out.println("freed " + ByteSizes.format(answer.path("freed_bytes").asLong()));
    }
  }
}
