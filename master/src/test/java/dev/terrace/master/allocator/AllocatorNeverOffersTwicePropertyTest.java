package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random event sequences against the DRF allocator, modelling what the master holds: every offer
 * and every task launched from one stays allocated until recovered. Whatever the sequence, the
 * resources outstanding on an agent never exceed its total and no port is held twice; and a cycle
 * that skips unchanged agents misses nothing a cycle over every agent would offer.
 *
 * <p>Each generated int is one event: its last digit picks the kind, the rest its arguments, so
 * jqwik shrinks a failure to a short, readable sequence.
 */
class AllocatorNeverOffersTwicePropertyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Map<AgentId, Resources> AGENTS = new LinkedHashMap<>();
  private static final List<FrameworkId> FRAMEWORKS = List.of(
      FrameworkId.of("f0"), FrameworkId.of("f1"), FrameworkId.of("f2"), FrameworkId.of("f3"));
  private static final List<List<String>> ROLES = List.of(
      List.of("r1"), List.of("r2", "r2/x"), List.of("*"), List.of("r1/sub"));

  static {
    AGENTS.put(AgentId.of("a0"), res("cpus:4;mem:4096;ports:[1000-1009]"));
    AGENTS.put(AgentId.of("a1"), res("cpus:2;mem:2048;cpus(r1):2;mem(r1):1024;ports:[2000-2004]"));
    AGENTS.put(AgentId.of("a2"), res("cpus:8;mem:1024;disk:100;cpus(r2/x):1;mem(r2/x):64"));
  }

  private static Resources res(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  private record Held(FrameworkId framework, AgentId agent, Resources resources) {}

  // Fresh for every try: set at the start of the property.
  private HierarchicalDrfAllocator allocator;
  private List<Held> outstanding;
  private Set<AgentId> present;
  private Instant now;

  @Property(tries = 1000)
  void outstandingResourcesNeverExceedAnAgentsTotal(
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 99_999) Integer> events) {
    allocator = new HierarchicalDrfAllocator();
    outstanding = new ArrayList<>();
    present = new HashSet<>();
    now = T0;
    AGENTS.forEach((id, total) -> {
      allocator.addAgent(id, total, Resources.empty());
      present.add(id);
    });
    for (int i = 0; i < FRAMEWORKS.size(); i++) {
      allocator.addFramework(FRAMEWORKS.get(i), ROLES.get(i), List.of());
    }
    for (int e : events) {
      apply(e % 10, e / 10);
      checkNothingHeldTwice();
    }
  }

  private void apply(int kind, int arg) {
    FrameworkId fw = FRAMEWORKS.get(arg % FRAMEWORKS.size());
    AgentId agent = new ArrayList<>(AGENTS.keySet()).get(arg % AGENTS.size());
    switch (kind) {
      case 0, 1, 2 -> {
        now = now.plusMillis(arg % 4000);
        // Cycles until one offers nothing (with quota, an offer can free headroom for agents
        // passed over earlier, which the next cycle picks up).
        int cycles = 0;
        for (List<OfferDecision> offers = allocator.allocate(now); !offers.isEmpty();
            offers = allocator.allocate(now)) {
          for (OfferDecision d : offers) {
            assertThat(present).contains(d.agent());
            outstanding.add(new Held(d.framework(), d.agent(), d.resources()));
          }
          assertThat(++cycles).as("cycles offering more at one instant").isLessThan(10);
        }
        // Skipping unchanged agents must never miss an offer: once a cycle offers nothing, a
        // cycle that looks at every agent finds nothing either.
        allocator.everythingDirty = true;
        assertThat(allocator.allocate(now)).as("offers a cycle skipping agents missed").isEmpty();
      }
      case 3, 4 -> recover(arg, kind == 3);
      case 5 -> {
        if (arg % 2 == 0) {
          allocator.suppress(fw, List.of());
        } else {
          allocator.revive(fw, List.of());
        }
      }
      case 6 -> allocator.setFrameworkActive(fw, arg % 3 != 0);
      case 7 -> {
        // The framework goes (its holdings stay until recovered under its id) or comes back.
        if (arg % 2 == 0) {
          allocator.removeFramework(fw);
        } else {
          allocator.addFramework(fw, ROLES.get(FRAMEWORKS.indexOf(fw)), List.of());
        }
      }
      case 8 -> {
        if (present.remove(agent)) {
          allocator.removeAgent(agent);
          outstanding.removeIf(h -> h.agent().equals(agent));
        } else {
          allocator.addAgent(agent, AGENTS.get(agent), Resources.empty());
          present.add(agent);
        }
      }
      case 9 -> {
        String role = List.of("r1", "r2", "*", "r1/sub").get(arg % 4);
        int cpus = (arg / 4) % 6;
        allocator.setQuota(role, cpus % 2 == 0 ? res("cpus:" + cpus) : Resources.empty(),
            cpus % 3 == 0 ? Resources.empty() : res("cpus:" + cpus + ";mem:2048"));
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Gives back a held item; with {@code keepTask}, half of its first resource stays as a task. */
  private void recover(int arg, boolean keepTask) {
    if (outstanding.isEmpty()) {
      return;
    }
    Held h = outstanding.remove(arg % outstanding.size());
    Resources back = h.resources();
    if (keepTask) {
      Resources task = taskOf(h.resources());
      back = h.resources().minus(task);
      outstanding.add(new Held(h.framework(), h.agent(), task));
    }
    allocator.recoverResources(h.framework(), h.agent(), back, (arg / 7) % 3, now);
  }

  private static Resources taskOf(Resources offer) {
    Resource first = offer.toList().get(0);
    if (first.type() == Value.Type.SCALAR) {
      return Resources.of(first.withScalar(Math.floor(first.scalar().value() * 500) / 1000));
    }
    return Resources.of(first);
  }

  private void checkNothingHeldTwice() {
    for (AgentId agent : present) {
      Resources sum = Resources.empty();
      Set<Long> ports = new HashSet<>();
      for (Held h : outstanding) {
        if (!h.agent().equals(agent)) {
          continue;
        }
        sum = sum.plus(h.resources());
        for (Value.Range r : h.resources().ranges("ports")) {
          for (long p = r.begin(); p <= r.end(); p++) {
            assertThat(ports.add(p)).as("port %d of %s held twice", p, agent).isTrue();
          }
        }
      }
      assertThat(AGENTS.get(agent).contains(sum))
          .as("%s holds %s, more than its total %s", agent, sum, AGENTS.get(agent)).isTrue();
    }
  }
}
