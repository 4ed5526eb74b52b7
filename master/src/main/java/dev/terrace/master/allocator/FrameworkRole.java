package dev.terrace.master.allocator;

import dev.terrace.master.allocator.resources.ResourceVector;

/** A framework subscribed to one role: sorted among that role's frameworks by its own share. */
final class FrameworkRole extends Sorter.Client {
  final FrameworkState framework;
  final RoleNode role;
  boolean suppressed;
  final ResourceVector allocated = new ResourceVector();

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
