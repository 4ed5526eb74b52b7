package dev.terrace.sdk;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskStatus;
import java.util.List;

/**
 * What a framework implements to hear from the master through a {@link SchedulerClient}.
 *
 * <p>Callbacks run one at a time, in stream order, on a single SDK thread: a scheduler needs no
 * locking of its own for state touched only here. They should return promptly (calls on the client
 * are asynchronous, so there is no need to block on them); a slow callback delays later events but
 * never the heartbeat watchdog, which watches the wire, not the callbacks.
 */
public interface Scheduler {

  /**
   * The master accepted the subscription. Called again after every resubscription (same framework
   * id, possibly a new master): reconcile tasks here if the framework tracks any.
   */
  void subscribed(FrameworkId frameworkId, MasterInfo masterInfo);

  /** New offers. Decline what is not used, or the resources stay held until rescinded. */
  void offers(List<Offer> offers);

  /** A status update. With auto-acknowledge on (the default) it is acknowledged after this returns. */
  void update(TaskStatus status);

  /** The master withdrew an offer; accepting it now would fail. */
  default void rescind(OfferId offerId) {}

  /**
   * Agents the framework has tasks on are scheduled for maintenance: answer with {@link
   * SchedulerClient#acceptInverseOffers} (the tasks will be moved off in time) or {@link
   * SchedulerClient#declineInverseOffers}. Ignoring them is allowed; the operator sees no answer.
   */
  default void inverseOffers(List<dev.terrace.common.model.InverseOffer> inverseOffers) {}

  /** A MESSAGE from one of the framework's custom executors. */
  default void message(dev.terrace.common.model.AgentId agent, dev.terrace.common.model.ExecutorId executor,
      byte[] data) {}

  /** One of the framework's custom executors ended ({@code status}: its exit status, if known). */
  default void executorFailed(dev.terrace.common.model.AgentId agent, dev.terrace.common.model.ExecutorId executor,
      Integer status) {}

  /** The master withdrew an inverse offer (the machine left the schedule or went down). */
  default void rescindInverseOffer(OfferId inverseOfferId) {}

  /**
   * The master reported an error (for example the framework was removed or failed over to another
   * scheduler), or refused the subscription itself. The client stops after this: it does not
   * resubscribe, because doing so would be refused the same way.
   */
  default void error(String message) {}

  /**
   * The subscription was lost or an attempt to subscribe failed (master unreachable, no leader,
   * missed heartbeats, stream closed). The client keeps retrying with backoff unless it was closed.
   */
  default void disconnected(String reason) {}

  /** A HEARTBEAT event; only useful to frameworks that want to observe liveness themselves. */
  default void heartbeat() {}
}
