package dev.terrace.master.allocator;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.master.allocator.Refusal.Reason;
import dev.terrace.master.allocator.resources.ResourceVector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Answers "why does this framework get no offers?" by asking the {@link FeasibilityChain} the
 * question the next cycle would ask, for every active agent, and counting the refusals. When
 * nothing refuses on some agent, the framework is offerable, and the roles ahead of it in DRF
 * order are the ones served first; when nothing is free for it anywhere, those roles are the
 * ones it waits behind.
 */
final class Explainer {
  /** Roles named in a "behind roles" list at most; the count says how many more. */
  private static final int MAX_BEHIND = 5;

  private final HierarchicalDrfAllocator s;
  private final Candidate c = new Candidate();

  Explainer(HierarchicalDrfAllocator s) {
    this.s = s;
  }

  Explanation explain(FrameworkId id, long now) {
    String subject = "framework " + id.value();
    FrameworkState fw = s.frameworks.get(id);
    if (fw == null) {
      return new Explanation(subject, false, List.of(new Refusal(Reason.UNKNOWN_FRAMEWORK, null, 0,
          null, List.of(), "the allocator does not know this framework")));
    }
    if (!fw.active) {
      return new Explanation(subject, false, List.of(new Refusal(Reason.INACTIVE, null, 0, null,
          List.of(), "the framework is inactive (disconnected or deactivated)")));
    }
    s.refreshOrder();
    List<Refusal> refusals = new ArrayList<>();
    boolean offerable = false;
    for (FrameworkRole fr : fw.roles) {
      offerable |= explainSlot(fr, now, refusals);
    }
    return new Explanation(subject, offerable, refusals);
  }

  Explanation explainRole(String role, long now) {
    String subject = "role " + role;
    RoleNode node = s.tree.find(role);
    if (node == null) {
      return new Explanation(subject, false, List.of(new Refusal(Reason.UNKNOWN_ROLE, role, 0, null,
          List.of(), "no framework, quota, weight or reservation names this role")));
    }
    Sorter<FrameworkRole> fws = node.own.frameworks;
    if (fws.size() == 0) {
      return new Explanation(subject, false, List.of(new Refusal(Reason.NO_FRAMEWORKS, role, 0,
          null, List.of(), "no framework is subscribed to role " + role)));
    }
    s.refreshOrder();
    List<Refusal> refusals = new ArrayList<>();
    boolean offerable = false;
    for (int i = 0; i < fws.size(); i++) {
      FrameworkRole fr = fws.get(i);
      String who = "framework " + fr.framework.id.value() + ": ";
      List<Refusal> mine = new ArrayList<>();
      if (!fr.framework.active) {
        mine.add(new Refusal(Reason.INACTIVE, role, 0, null, List.of(), "inactive"));
      } else {
        offerable |= explainSlot(fr, now, mine);
      }
      for (Refusal r : mine) {
        refusals.add(new Refusal(r.reason(), r.role(), r.agents(), r.until(), r.behind(),
            who + r.message()));
      }
    }
    return new Explanation(subject, offerable, refusals);
  }

  /** Adds why {@code fr} gets nothing to {@code out}; true when some agent is offerable to it. */
  private boolean explainSlot(FrameworkRole fr, long now, List<Refusal> out) {
    String role = fr.role.path;
    if (fr.suppressed) {
      out.add(new Refusal(Reason.SUPPRESSED, role, 0, null, List.of(),
          "role " + role + ": the framework suppressed offers for it"));
      return false;
    }
    Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
    long latestFilter = 0;
    int activeAgents = 0;
    int offerableAgents = 0;
    c.nowMillis = now;
    c.quotaStage = false;
    for (int i = 0; i < s.agentCount; i++) {
      AgentState a = s.agentArray[i];
      if (!a.active) {
        continue;
      }
      activeAgents++;
      c.reset(a, fr);
      Reason r = s.chain.check(c);
      if (r == null) {
        offerableAgents++;
      } else {
        counts.merge(r, 1, Integer::sum);
        if (r == Reason.FILTERED) {
          latestFilter = Math.max(latestFilter, c.filteredUntil);
        }
      }
    }
    if (activeAgents == 0) {
      out.add(new Refusal(Reason.NO_AGENTS, role, 0, null, List.of(), "no agent is active"));
      return false;
    }
    List<String> ahead = rolesAhead(fr);
    if (offerableAgents > 0) {
      if (!ahead.isEmpty()) {
        out.add(new Refusal(Reason.WAITING_FOR_FAIR_SHARE, role, offerableAgents, null, ahead,
            "role " + role + ": " + offerableAgents + " agents have resources for it; "
                + behind(ahead) + " come first by fair share"));
      }
      return true;
    }
    long until = latestFilter;
    counts.entrySet().stream()
        // Most agents first; on a tie the reason earlier in the chain (closer to the cause).
        .sorted(Map.Entry.<Reason, Integer>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.add(refusal(fr, e.getKey(), e.getValue(), until)));
    if (counts.containsKey(Reason.NO_FREE_RESOURCES) && !ahead.isEmpty()) {
      out.add(new Refusal(Reason.WAITING_FOR_FAIR_SHARE, role, 0, null, ahead,
          "role " + role + ": waiting for its fair share behind " + behind(ahead)));
    }
    return false;
  }

  private Refusal refusal(FrameworkRole fr, Reason reason, int agents, long filterUntil) {
    String role = fr.role.path;
    String on = " on " + agents + (agents == 1 ? " agent" : " agents");
    return switch (reason) {
      case FILTERED -> new Refusal(reason, role, agents, Instant.ofEpochMilli(filterUntil),
          List.of(), "role " + role + ": filtered (refuse_seconds) until "
              + Instant.ofEpochMilli(filterUntil) + on);
      case CONSTRAINTS -> new Refusal(reason, role, agents, null, List.of(), "role " + role
          + ": offer constraints " + fr.framework.constraints + " not satisfied" + on);
      case QUOTA_LIMIT -> {
        RoleNode limiting = s.tree.limitingRole(fr.role);
        String which = limiting == null ? role : limiting.path;
        yield new Refusal(reason, which, agents, null, List.of(), "role " + role
            + ": quota limit of role " + which + " reached (" + limits(limiting) + ")" + on);
      }
      case QUOTA_HEADROOM -> new Refusal(reason, role, agents, null, List.of(), "role " + role
          + ": free resources held back for other roles' quota guarantees" + on);
      case MIN_ALLOCATABLE -> new Refusal(reason, role, agents, null, List.of(), "role " + role
          + ": free resources below its minimum allocatable ("
          + s.tree.minAllocatable(fr.role).stream().map(v -> v.toString(s.schema))
              .collect(Collectors.joining(" | ")) + ")" + on);
      case NO_FREE_RESOURCES -> new Refusal(reason, role, agents, null, List.of(), "role " + role
          + ": nothing free for it (allocated, or reserved for other roles)" + on);
      default -> new Refusal(reason, role, agents, null, List.of(),
          "role " + role + ": " + reason + on);
    };
  }

  private String limits(RoleNode n) {
    if (n == null || n.limit == null) {
      return "";
    }
    ResourceVector shown = new ResourceVector();
    for (int d = 0; d < s.schema.size(); d++) {
      shown.set(d, n.limit.get(d) >= ResourceVector.UNLIMITED ? 0 : n.limit.get(d));
    }
    return "limit " + shown.toString(s.schema);
  }

  /** Roles with frameworks wanting offers that DRF serves before {@code fr}'s role. */
  private List<String> rolesAhead(FrameworkRole fr) {
    List<String> ahead = new ArrayList<>();
    collectAhead(s.tree.root, fr.role, ahead);
    return ahead;
  }

  /** True when {@code target} was reached; roles passed before it are added to {@code ahead}. */
  private boolean collectAhead(RoleNode node, RoleNode target, List<String> ahead) {
    for (int i = 0; i < node.members.size(); i++) {
      Sorter.Client m = node.members.get(i);
      if (m instanceof RoleNode child) {
        if (collectAhead(child, target, ahead)) {
          return true;
        }
      } else if (node == target) {
        return true;
      } else if (node.own.wanting > 0) {
        ahead.add(node.path);
      }
    }
    return false;
  }

  private static String behind(List<String> roles) {
    String named = roles.stream().limit(MAX_BEHIND).collect(Collectors.joining(", "));
    return (roles.size() == 1 ? "role " : "roles ") + named
        + (roles.size() > MAX_BEHIND ? " and " + (roles.size() - MAX_BEHIND) + " more" : "");
  }
}
