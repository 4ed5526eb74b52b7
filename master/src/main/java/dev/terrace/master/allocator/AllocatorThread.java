package dev.terrace.master.allocator;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.Resources;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Runs an {@link Allocator} on a thread of its own, so a long allocation cycle never holds up the
 * master's event loop (heartbeats, agent pings, API calls). The master's events are queued in the
 * order it sends them, and an allocation sees every event sent before it; its decisions come back
 * as a future. Because the queue is ordered, the allocator's view is always a consistent prefix
 * of the master's.
 */
public final class AllocatorThread implements Allocator, AutoCloseable {
  private final Allocator delegate;
  private final ExecutorService thread;

  public AllocatorThread(Allocator delegate, String name) {
    this.delegate = delegate;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  private void run(Runnable r) {
    try {
      thread.execute(r);
    } catch (RejectedExecutionException e) {
      // Closed: the term is over and its allocator with it.
    }
  }

  /** Runs one allocation after every event queued so far. */
  public CompletableFuture<List<OfferDecision>> allocateAsync(Instant now) {
    return CompletableFuture.supplyAsync(() -> delegate.allocate(now), thread);
  }

  /** Asks the allocator something (an explanation, say) in line with the events. */
  public <T> CompletableFuture<T> query(Function<Allocator, T> question) {
    return CompletableFuture.supplyAsync(() -> question.apply(delegate), thread);
  }

  @Override
  public List<OfferDecision> allocate(Instant now) {
    return allocateAsync(now).join();
  }

  @Override
  public void addAgent(AgentId agent, Resources total, Resources used) {
    run(() -> delegate.addAgent(agent, total, used));
  }

  @Override
  public void addAgent(AgentId agent, Resources total, Resources used,
      List<dev.terrace.common.model.Attribute> attributes) {
    run(() -> delegate.addAgent(agent, total, used, attributes));
  }

  @Override
  public void updateAgent(AgentId agent, Resources total, List<dev.terrace.common.model.Attribute> attributes) {
    run(() -> delegate.updateAgent(agent, total, attributes));
  }

  @Override
  public void updateWeights(java.util.Map<String, Double> weights) {
    run(() -> delegate.updateWeights(weights));
  }

  @Override
  public void setQuota(String role, Resources guarantees, Resources limits) {
    run(() -> delegate.setQuota(role, guarantees, limits));
  }

  @Override
  public void setMinAllocatable(String role, List<Resources> alternatives) {
    run(() -> delegate.setMinAllocatable(role, alternatives));
  }

  @Override
  public void setOfferConstraints(FrameworkId framework, List<OfferConstraint> constraints) {
    run(() -> delegate.setOfferConstraints(framework, constraints));
  }

  /** Blocks until the allocator thread answers; use {@link #query} from an event loop. */
  @Override
  public Explanation explain(FrameworkId framework) {
    return query(a -> a.explain(framework)).join();
  }

  @Override
  public Explanation explainRole(String role) {
    return query(a -> a.explainRole(role)).join();
  }

  @Override
  public void removeAgent(AgentId agent) {
    run(() -> delegate.removeAgent(agent));
  }

  @Override
  public void setAgentActive(AgentId agent, boolean active) {
    run(() -> delegate.setAgentActive(agent, active));
  }

  @Override
  public void addFramework(FrameworkId framework, List<String> roles, List<String> suppressedRoles) {
    run(() -> delegate.addFramework(framework, roles, suppressedRoles));
  }

  @Override
  public void updateFramework(FrameworkId framework, List<String> roles, List<String> suppressedRoles) {
    run(() -> delegate.updateFramework(framework, roles, suppressedRoles));
  }

  @Override
  public void removeFramework(FrameworkId framework) {
    run(() -> delegate.removeFramework(framework));
  }

  @Override
  public void setFrameworkActive(FrameworkId framework, boolean active) {
    run(() -> delegate.setFrameworkActive(framework, active));
  }

  @Override
  public void recoverResources(FrameworkId framework, AgentId agent, Resources resources,
      double refuseSeconds, Instant now) {
    run(() -> delegate.recoverResources(framework, agent, resources, refuseSeconds, now));
  }

  @Override
  public void addUsed(FrameworkId framework, AgentId agent, Resources resources) {
    run(() -> delegate.addUsed(framework, agent, resources));
  }

  @Override
  public void suppress(FrameworkId framework, List<String> roles) {
    run(() -> delegate.suppress(framework, roles));
  }

  @Override
  public void revive(FrameworkId framework, List<String> roles) {
    run(() -> delegate.revive(framework, roles));
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
