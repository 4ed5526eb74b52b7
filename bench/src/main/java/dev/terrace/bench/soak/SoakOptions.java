package dev.terrace.bench.soak;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a soak run does. {@link #parse} reads {@code bench/run soak}'s arguments; the defaults are
 * the full run (10 minutes, 1,000 agents, 50 frameworks, 3 masters).
 *
 * @param seconds how long tasks are launched and chaos runs (warm-up included, drain not)
 * @param tasksPerFramework tasks each framework keeps outstanding at most
 * @param masterKillSeconds mean time between kills of the leading master (each wait is 0.5–1.5× it)
 * @param agentKillSeconds mean time between agent crashes (likewise)
 * @param warmupSeconds when the starting heap is measured (a fifth of the run, at most a minute)
 * @param drainSeconds how long, after launching stops, every outstanding task may take to end
 */
record SoakOptions(double seconds, int agents, int frameworks, int masters, long seed, int tasksPerFramework,
    double masterKillSeconds, double agentKillSeconds, int agentDownMinMillis, int agentDownMaxMillis,
    int taskMinMillis, int taskMaxMillis, double warmupSeconds, double drainSeconds, double stateSampleSeconds,
    String agentResources) {

  private static final Set<String> NAMES = Set.of("--minutes", "--seconds", "--agents", "--frameworks",
      "--masters", "--seed", "--tasks-per-framework", "--master-kill-seconds", "--agent-kill-seconds",
      "--drain-seconds");

  static SoakOptions parse(String... args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
    }
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!NAMES.contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + NAMES);
      }
      given.put(args[i], args[i + 1]);
    }
    double seconds = given.containsKey("--seconds") ? Double.parseDouble(given.get("--seconds"))
        : Double.parseDouble(given.getOrDefault("--minutes", "10")) * 60;
    int agents = Integer.parseInt(given.getOrDefault("--agents", "1000"));
    return new SoakOptions(seconds, agents,
        Integer.parseInt(given.getOrDefault("--frameworks", "50")),
        Integer.parseInt(given.getOrDefault("--masters", "3")),
        Long.parseLong(given.getOrDefault("--seed", "1")),
        Integer.parseInt(given.getOrDefault("--tasks-per-framework", "8")),
        Double.parseDouble(given.getOrDefault("--master-kill-seconds", "40")),
        Double.parseDouble(given.getOrDefault("--agent-kill-seconds", "2")),
        1000, 5000, 500, 3000, Math.min(60, seconds / 5),
        Double.parseDouble(given.getOrDefault("--drain-seconds", "180")),
        Math.max(2, Math.min(15, seconds / 10)), "cpus:2;mem:1024");
  }
}
