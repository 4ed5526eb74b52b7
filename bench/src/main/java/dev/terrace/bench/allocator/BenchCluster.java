package dev.terrace.bench.allocator;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import dev.terrace.master.allocator.HierarchicalDrfAllocator;
import java.time.Instant;
import java.util.List;

/**
 * A cluster for the allocator benchmarks, shaped like Mesos' allocator benchmark grid: N equal
 * agents, M frameworks spread over K roles, optionally every role with quota (a guarantee of half
 * its even share and a limit of twice it), optionally every agent busy with one task. A full cycle offers the whole cluster; {@link
 * #recoverAll} gives it all back so that the next cycle does the same work again.
 */
final class BenchCluster {
  /** One agent: a typical large host, with a port range as Mesos agents advertise. */
  static final String AGENT = "cpus:16;mem:65536;disk:1048576;ports:[31000-32000]";
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  final HierarchicalDrfAllocator allocator = new HierarchicalDrfAllocator();
  final int agents;
  final int frameworks;
  final int roles;

  /** With {@code busy}, every agent runs one task, so offers are its remainder, not the whole. */
  static final String TASK = "cpus:1;mem:1024;ports:[31000-31009]";

  BenchCluster(int agents, int frameworks, int roles, boolean quota) {
    this(agents, frameworks, roles, quota, false);
  }

  BenchCluster(int agents, int frameworks, int roles, boolean quota, boolean busy) {
    this.agents = agents;
    this.frameworks = frameworks;
    this.roles = roles;
    Resources agent = Resources.of(ResourceParser.parseResources(AGENT));
    for (int i = 0; i < agents; i++) {
      allocator.addAgent(AgentId.of("agent-" + i), agent, Resources.empty());
    }
    for (int i = 0; i < frameworks; i++) {
      allocator.addFramework(FrameworkId.of("framework-" + i), List.of(role(i % roles)), List.of());
    }
    if (busy) {
      Resources task = Resources.of(ResourceParser.parseResources(TASK));
      for (int i = 0; i < agents; i++) {
        allocator.addUsed(FrameworkId.of("framework-" + (i % frameworks)), AgentId.of("agent-" + i),
            task);
      }
    }
    if (quota) {
      double cpus = 16.0 * agents / roles;
      double mem = 65536.0 * agents / roles;
      for (int r = 0; r < roles; r++) {
        allocator.setQuota(role(r), scalars(cpus / 2, mem / 2), scalars(cpus * 2, mem * 2));
      }
    }
  }

  private static String role(int r) {
    return "role-" + r;
  }

  private static Resources scalars(double cpus, double mem) {
    return Resources.of(ResourceParser.parseResources(
        String.format(java.util.Locale.ROOT, "cpus:%.3f;mem:%.3f", cpus, mem)));
  }

  List<OfferDecision> cycle() {
    return allocator.allocate(NOW);
  }

  void recoverAll(List<OfferDecision> offers) {
    for (OfferDecision d : offers) {
      allocator.recoverResources(d.framework(), d.agent(), d.resources(), 0, NOW);
    }
  }
}
