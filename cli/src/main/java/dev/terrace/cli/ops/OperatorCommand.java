package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Base of the operator commands: connects to the leading master, runs {@link #run}, and turns
 * failures into the documented exit codes: 0 done, 1 the master could not be reached or failed,
 * 2 a usage error (picocli), 3 the master refused the request (unknown agent, invalid quota...).
 */
public abstract class OperatorCommand implements Callable<Integer> {
  public static final int UNREACHABLE = 1;
  public static final int REFUSED = 3;

  @Mixin
  public MasterOptions options;

  @Spec
  CommandSpec spec;

  protected abstract int run(MasterHttp master, PrintStream out) throws Exception;

  @Override
  public final Integer call() {
    inheritOptions();
    try (MasterHttp m = new MasterHttp(options.master)) {
      return run(m, System.out);
    } catch (MasterRefusedException e) {
      System.err.println("terrace: refused: " + e.getMessage());
      return REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNREACHABLE;
    } catch (Exception e) {
      System.err.println("terrace: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return UNREACHABLE;
    }
  }

  /**
   * {@code terrace maintenance --master URL drain AGENT}: options given to a parent command hold
   * for its subcommands too, unless the subcommand was given its own.
   */
  private void inheritOptions() {
    if (spec == null) {
      return;
    }
    ParseResult own = spec.commandLine().getParseResult();
    for (CommandSpec s = spec.parent(); s != null; s = s.parent()) {
      ParseResult pr = s.commandLine().getParseResult();
      if (pr == null) {
        continue;
      }
      if ((own == null || !own.hasMatchedOption("--master")) && pr.hasMatchedOption("--master")) {
        options.master = pr.matchedOptionValue("--master", options.master);
      }
      if (pr.hasMatchedOption("--json")) {
        options.json = true;
      }
    }
  }

  /** Prints {@code node} as indented JSON. */
  protected static void printJson(PrintStream out, JsonNode node) throws Exception {
    out.println(dev.terrace.common.json.Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  /** {@code {"type": TYPE}}. */
  protected static com.fasterxml.jackson.databind.node.ObjectNode call(String type) {
    return dev.terrace.common.json.Json.mapper().createObjectNode().put("type", type);
  }
}
