package dev.terrace.master.allocator;

import java.time.Instant;
import java.util.List;

/**
 * One reason a framework is not offered resources, with where it applies: the {@code role}
 * (null when it concerns the whole framework), how many {@code agents} it held back (0 when it
 * does not depend on agents), until when ({@code until}, for filters), and the roles ahead in
 * fair-share order ({@code behind}). {@code message} says all of it in words.
 */
public record Refusal(Reason reason, String role, int agents, Instant until, List<String> behind,
    String message) {

  public Refusal {
    behind = behind == null ? List.of() : List.copyOf(behind);
  }

  public enum Reason {
    UNKNOWN_FRAMEWORK,
    UNKNOWN_ROLE,
    /** The framework is disconnected or deactivated. */
    INACTIVE,
    /** The role has no frameworks subscribed. */
    NO_FRAMEWORKS,
    /** The framework suppressed offers for the role. */
    SUPPRESSED,
    /** No agent is registered and active. */
    NO_AGENTS,
    /** The framework declined these agents with a {@code refuse_seconds} filter. */
    FILTERED,
    /** The agents' attributes do not satisfy the framework's offer constraints. */
    CONSTRAINTS,
    /** The role (or an ancestor) has reached its quota limit. */
    QUOTA_LIMIT,
    /** What is free is held back for other roles' unmet quota guarantees. */
    QUOTA_HEADROOM,
    /** What is free on these agents is below the role's minimum allocatable resources. */
    MIN_ALLOCATABLE,
    /** Nothing on these agents is free for the role (allocated, or reserved for other roles). */
    NO_FREE_RESOURCES,
    /** Resources are free for it, but roles or frameworks with a lower share come first. */
    WAITING_FOR_FAIR_SHARE,
    NOT_EXPLAINED
  }
}
