package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Why a framework (by id or name) or a role gets no offers, from the allocator itself.")
public final class ExplainCommand extends OperatorCommand {
  @Parameters(paramLabel = "FRAMEWORK|ROLE", description = "A framework id or name, or a role.")
  String subject;

  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    String frameworkId = null;
    for (JsonNode f : master.call(call("GET_FRAMEWORKS")).path("get_frameworks").path("frameworks")) {
      JsonNode info = f.path("framework_info");
      if (info.path("id").path("value").asText().equals(subject) || info.path("name").asText().equals(subject)) {
        frameworkId = info.path("id").path("value").asText();
      }
    }
    String query = frameworkId != null ? "framework_id=" + encode(frameworkId) : "role=" + encode(subject);
    JsonNode why = master.get("/master/allocation/explain?" + query);
    if (options.json) {
      printJson(out, why);
      return 0;
    }
    out.println((frameworkId != null ? "framework " + frameworkId : "role " + subject) + ": "
        + why.path("summary").asText());
    for (JsonNode r : why.path("refusals")) {
      out.println("  - " + r.path("reason").asText() + " (role " + r.path("role").asText() + ", "
          + r.path("agents").asInt() + " agents): " + r.path("message").asText());
    }
    return 0;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
