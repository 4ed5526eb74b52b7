package dev.terrace.master;

import dev.terrace.common.model.Resource;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator;
import dev.terrace.master.registry.QuotaRecord;
import dev.terrace.master.registry.RegistrySnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's allocation policy, role weights and quota: durable in the registry first, then
 * in force in the allocator. Runs on the master context.
 */
final class AllocationPolicy {
  private final RegistryWrites registry;
  private final Allocator allocator;
  private final Runnable allocateSoon;
  private final Map<String, Double> weights = new LinkedHashMap<>();
  private final Map<String, QuotaRecord> quota = new LinkedHashMap<>();

  AllocationPolicy(RegistryWrites registry, Allocator allocator, Runnable allocateSoon) {
    this.registry = registry;
    this.allocator = allocator;
    this.allocateSoon = allocateSoon;
  }

  /** A new term takes over the policy the registry holds. */
  void recover(RegistrySnapshot snapshot) {
    weights.putAll(snapshot.weights());
    if (!weights.isEmpty()) {
      allocator.updateWeights(Map.copyOf(weights));
    }
    quota.putAll(snapshot.quota());
    quota.forEach((role, q) -> allocator.setQuota(role, scalars(q.guarantees()), scalars(q.limits())));
  }

  Map<String, Double> weights() {
    return weights;
  }

  Map<String, QuotaRecord> quota() {
    return quota;
  }

  /** UPDATE_WEIGHTS: durable first, then in force. Weights must be positive. */
  Future<Void> updateWeights(Map<String, Double> changed) {
    return registry.write(r -> r.putWeights(changed)).onSuccess(v -> {
      weights.putAll(changed);
      allocator.updateWeights(Map.copyOf(weights));
      allocateSoon.run();
    });
  }

  /** UPDATE_QUOTA for one role; empty guarantees and limits remove its quota. */
  Future<Void> updateQuota(String role, QuotaRecord q) {
    boolean remove = q.guarantees().isEmpty() && q.limits().isEmpty();
    return registry.write(r -> remove ? r.removeQuota(role) : r.putQuota(role, q)).onSuccess(v -> {
      if (remove) {
        quota.remove(role);
      } else {
        quota.put(role, q);
      }
      allocator.setQuota(role, scalars(q.guarantees()), scalars(q.limits()));
      allocateSoon.run();
    });
  }

  static Resources scalars(Map<String, Double> amounts) {
    List<Resource> list = new ArrayList<>();
    amounts.forEach((name, v) -> list.add(Resource.scalar(name, v)));
    return Resources.of(list);
  }
}
