package dev.terrace.master.allocator;

import dev.terrace.master.allocator.resources.ResourceVector;

/** A framework subscribed to one role: sorted among that role's frameworks by its own share. */
final class FrameworkRole extends Sorter.Client {
  final FrameworkState framework;
  final RoleNode role;
  boolean suppressed;
  final ResourceVector allocated = new ResourceVector();
  /**
   * The agent visit in which it was last offered that agent. One offer per role per visit: the
   * offer takes all the role may have there, so a second could only be empty. (Per role, not per
   * framework: a framework of two roles may get one agent's unreserved resources for one and a
   * reservation for the other in the same visit; per framework, the reservation would be left
   * free on an agent the next cycles skip as unchanged.)
   */
  long lastVisit = -1;

  FrameworkRole(FrameworkState framework, RoleNode role) {
    this.framework = framework;
    this.role = role;
  }

  boolean wantsOffers() {
    return framework.active && !suppressed;
  }

  @Override
  public String toString() {
    return framework + "@" + role;
  }
}
