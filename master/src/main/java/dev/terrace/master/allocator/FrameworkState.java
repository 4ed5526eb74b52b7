package dev.terrace.master.allocator;

import dev.terrace.common.model.FrameworkId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the allocator knows of one framework. */
final class FrameworkState {
  final FrameworkId id;
  boolean active = true;
  /** Removed by the master; kept only while it still holds resources. */
  boolean removed;
  final List<FrameworkRole> roles = new ArrayList<>(1);
  /** refuse_seconds filters: agent to the epoch millisecond the filter ends. */
  final Map<AgentState, Long> filters = new HashMap<>();
  List<OfferConstraint> constraints = List.of();

  FrameworkState(FrameworkId id) {
    this.id = id;
  }

  FrameworkRole role(String path) {
    for (FrameworkRole r : roles) {
      if (r.role.path.equals(path)) {
        return r;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return id.value();
  }
}
