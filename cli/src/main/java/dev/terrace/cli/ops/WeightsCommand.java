package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "weights", mixinStandardHelpOptions = true,
    description = {"Show role weights, or set them: terrace weights ROLE=WEIGHT...",
        "A role with twice the weight gets twice the share of the cluster under DRF."})
public final class WeightsCommand extends OperatorCommand {
  @Parameters(paramLabel = "ROLE=WEIGHT", arity = "0..*", description = "Weights to set (> 0).")
  List<String> changes = List.of();

  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    if (!changes.isEmpty()) {
      ObjectNode update = call("UPDATE_WEIGHTS");
      ArrayNode infos = update.putObject("update_weights").putArray("weight_infos");
      for (String c : changes) {
        int eq = c.indexOf('=');
        double weight;
        try {
          weight = eq > 0 ? Double.parseDouble(c.substring(eq + 1)) : Double.NaN;
        } catch (NumberFormatException e) {
          weight = Double.NaN;
        }
        if (!(weight > 0)) {
          throw new MasterRefusedException(400, "'" + c + "' is not ROLE=WEIGHT with a weight > 0");
        }
        infos.addObject().put("role", c.substring(0, eq)).put("weight", weight);
      }
      master.call(update);
    }
    JsonNode weights = master.call(call("GET_WEIGHTS")).path("get_weights");
    if (options.json) {
      printJson(out, weights);
      return 0;
    }
    Table table = new Table("ROLE", "WEIGHT");
    weights.path("weight_infos").forEach(w -> table.row(w.path("role").asText(), Table.amount(w.path("weight").asDouble())));
    table.print(out);
    return 0;
  }
}
