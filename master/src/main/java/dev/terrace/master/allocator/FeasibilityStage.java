package dev.terrace.master.allocator;

/**
 * One check of whether a framework may be offered an agent, in the style of Nomad's feasibility
 * chain: it either passes (null) or names the reason it refused. The allocation cycle stops at
 * the first refusal; explanations run the same stages and count the refusals, so what the
 * operator is told is exactly what the cycle decided.
 */
interface FeasibilityStage {
  /** Null when {@code c} passes this stage, else why it does not. Must not change any state. */
  Refusal.Reason check(Candidate c);
}
