package dev.terrace.master.allocator;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Why a framework (or the frameworks of a role) gets no offers now: the refusals of the
 * allocator's feasibility stages, aggregated over agents. {@code offerable} is true when nothing
 * stops the next cycle from offering it something.
 */
public record Explanation(String subject, boolean offerable, List<Refusal> refusals) {
  public Explanation {
    refusals = List.copyOf(refusals);
  }

  public static Explanation unsupported(String subject) {
    return new Explanation(subject, false, List.of(new Refusal(Refusal.Reason.NOT_EXPLAINED, null,
        0, null, List.of(), "this allocator does not explain its decisions")));
  }

  /** True when some refusal has {@code reason}. */
  public boolean has(Refusal.Reason reason) {
    return refusals.stream().anyMatch(r -> r.reason() == reason);
  }

  /** One line for an operator, e.g. {@code f1: role a: filtered until 10:00:05Z on 3 agents}. */
  public String summary() {
    if (refusals.isEmpty()) {
      return subject + ": will be offered resources at the next allocation";
    }
    return subject + ": " + refusals.stream().map(Refusal::message).collect(Collectors.joining("; "));
  }
}
