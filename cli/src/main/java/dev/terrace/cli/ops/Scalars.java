package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;

/** Sums of scalar resources in the operator API's JSON (lists of Mesos {@code Resource}). */
final class Scalars {
  private Scalars() {}

  static double sum(JsonNode resources, String name) {
    double total = 0;
    for (JsonNode r : resources) {
      if (r.path("name").asText().equals(name)) {
        total += r.path("scalar").path("value").asDouble();
      }
    }
    return total;
  }

  /** "used/total" of an agent from GET_AGENTS. */
  static String used(JsonNode agent, String name) {
    return Table.amount(sum(agent.path("allocated_resources"), name)) + "/"
        + Table.amount(sum(agent.path("total_resources"), name));
  }
}
