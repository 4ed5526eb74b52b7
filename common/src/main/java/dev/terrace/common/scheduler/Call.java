package dev.terrace.common.scheduler;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.OperationId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import java.util.List;

/**
 * Mesos v1 scheduler `Call`: what a framework sends to {@code POST /api/v1/scheduler}. Exactly the
 * payload field matching {@code type} is set. Field names follow `scheduler.proto`.
 */
public record Call(
    FrameworkId frameworkId,
    Type type,
    Subscribe subscribe,
    Accept accept,
    Decline decline,
    AcceptInverseOffers acceptInverseOffers,
    DeclineInverseOffers declineInverseOffers,
    Revive revive,
    Kill kill,
    Shutdown shutdown,
    Acknowledge acknowledge,
    AcknowledgeOperationStatus acknowledgeOperationStatus,
    Reconcile reconcile,
    ReconcileOperations reconcileOperations,
    Message message,
    Request request,
    Suppress suppress,
    UpdateFramework updateFramework) {

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    SUBSCRIBE,
    TEARDOWN,
    ACCEPT,
    DECLINE,
    ACCEPT_INVERSE_OFFERS,
    DECLINE_INVERSE_OFFERS,
    REVIVE,
    KILL,
    SHUTDOWN,
    ACKNOWLEDGE,
    ACKNOWLEDGE_OPERATION_STATUS,
    RECONCILE,
    RECONCILE_OPERATIONS,
    MESSAGE,
    REQUEST,
    SUPPRESS,
    UPDATE_FRAMEWORK
  }

  public record Subscribe(FrameworkInfo frameworkInfo, List<String> suppressedRoles) {
    public Subscribe {
      suppressedRoles = suppressedRoles == null ? List.of() : List.copyOf(suppressedRoles);
    }
  }

  public record Accept(List<OfferId> offerIds, List<Operation> operations, Filters filters) {
    public Accept {
      offerIds = offerIds == null ? List.of() : List.copyOf(offerIds);
      operations = operations == null ? List.of() : List.copyOf(operations);
    }
  }

  public record Decline(List<OfferId> offerIds, Filters filters) {
    public Decline {
      offerIds = offerIds == null ? List.of() : List.copyOf(offerIds);
    }
  }

  public record AcceptInverseOffers(List<OfferId> inverseOfferIds, Filters filters) {
    public AcceptInverseOffers {
      inverseOfferIds = inverseOfferIds == null ? List.of() : List.copyOf(inverseOfferIds);
    }
  }

  public record DeclineInverseOffers(List<OfferId> inverseOfferIds, Filters filters) {
    public DeclineInverseOffers {
      inverseOfferIds = inverseOfferIds == null ? List.of() : List.copyOf(inverseOfferIds);
    }
  }

  public record Revive(List<String> roles) {
    public Revive {
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }

  public record Suppress(List<String> roles) {
    public Suppress {
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }

  public record Kill(TaskId taskId, AgentId agentId, dev.terrace.common.model.KillPolicy killPolicy) {}

  public record Shutdown(ExecutorId executorId, AgentId agentId) {}

  public record Acknowledge(AgentId agentId, TaskId taskId, Bytes uuid) {}

  public record AcknowledgeOperationStatus(AgentId agentId, String resourceProviderId, Bytes uuid,
      OperationId operationId) {}

  public record Reconcile(List<ReconcileTask> tasks) {
    public Reconcile {
      tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public record ReconcileTask(TaskId taskId, AgentId agentId) {}
  }

  public record ReconcileOperations(List<ReconcileOperation> operations) {
    public ReconcileOperations {
      operations = operations == null ? List.of() : List.copyOf(operations);
    }

    public record ReconcileOperation(OperationId operationId, AgentId agentId) {}
  }

  public record Message(AgentId agentId, ExecutorId executorId, Bytes data) {}

  /** REQUEST nests its list as {@code request.requests} (the .proto, not the docs, is right). */
  public record Request(List<ResourceRequest> requests) {
    public Request {
      requests = requests == null ? List.of() : List.copyOf(requests);
    }

    public record ResourceRequest(AgentId agentId, List<Resource> resources) {}
  }

  public record UpdateFramework(FrameworkInfo frameworkInfo, List<String> suppressedRoles) {
    public UpdateFramework {
      suppressedRoles = suppressedRoles == null ? List.of() : List.copyOf(suppressedRoles);
    }
  }

  private static Call of(FrameworkId fw, Type type) {
    return new Call(fw, type, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  public static Call subscribe(FrameworkInfo info) {
    return new Call(info.id(), Type.SUBSCRIBE, new Subscribe(info, null), null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null);
  }

  public static Call accept(FrameworkId fw, List<OfferId> offers, List<Operation> ops, Filters filters) {
    return new Call(fw, Type.ACCEPT, null, new Accept(offers, ops, filters), null, null, null, null,
        null, null, null, null, null, null, null, null, null, null);
  }

  public static Call decline(FrameworkId fw, List<OfferId> offers, Filters filters) {
    return new Call(fw, Type.DECLINE, null, null, new Decline(offers, filters), null, null, null,
        null, null, null, null, null, null, null, null, null, null);
  }

  public static Call acceptInverseOffers(FrameworkId fw, List<OfferId> ids, Filters filters) {
    return new Call(fw, Type.ACCEPT_INVERSE_OFFERS, null, null, null,
        new AcceptInverseOffers(ids, filters), null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  public static Call declineInverseOffers(FrameworkId fw, List<OfferId> ids, Filters filters) {
    return new Call(fw, Type.DECLINE_INVERSE_OFFERS, null, null, null, null,
        new DeclineInverseOffers(ids, filters), null, null, null, null, null, null, null, null,
        null, null, null);
  }

  public static Call kill(FrameworkId fw, TaskId task, AgentId agent) {
    return new Call(fw, Type.KILL, null, null, null, null, null, null, new Kill(task, agent, null),
        null, null, null, null, null, null, null, null, null);
  }

  public static Call acknowledge(FrameworkId fw, AgentId agent, TaskId task, Bytes uuid) {
    return new Call(fw, Type.ACKNOWLEDGE, null, null, null, null, null, null, null, null,
        new Acknowledge(agent, task, uuid), null, null, null, null, null, null, null);
  }

  public static Call reconcile(FrameworkId fw, List<Reconcile.ReconcileTask> tasks) {
    return new Call(fw, Type.RECONCILE, null, null, null, null, null, null, null, null, null, null,
        new Reconcile(tasks), null, null, null, null, null);
  }

  public static Call revive(FrameworkId fw, List<String> roles) {
    return new Call(fw, Type.REVIVE, null, null, null, null, null, new Revive(roles), null, null,
        null, null, null, null, null, null, null, null);
  }

  public static Call suppress(FrameworkId fw, List<String> roles) {
    return new Call(fw, Type.SUPPRESS, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, new Suppress(roles), null);
  }

  /** MESSAGE: {@code data} for the framework's executor {@code executor} on {@code agent}. */
  public static Call message(FrameworkId fw, AgentId agent, ExecutorId executor, Bytes data) {
    return new Call(fw, Type.MESSAGE, null, null, null, null, null, null, null, null, null, null,
        null, null, new Message(agent, executor, data), null, null, null);
  }

  /** SHUTDOWN of the framework's executor {@code executor} on {@code agent}. */
  public static Call shutdown(FrameworkId fw, ExecutorId executor, AgentId agent) {
    return new Call(fw, Type.SHUTDOWN, null, null, null, null, null, null, null,
        new Shutdown(executor, agent), null, null, null, null, null, null, null, null);
  }

  public static Call teardown(FrameworkId fw) {
    return of(fw, Type.TEARDOWN);
  }
}
