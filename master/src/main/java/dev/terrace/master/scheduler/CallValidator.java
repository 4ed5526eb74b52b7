package dev.terrace.master.scheduler;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.scheduler.Call;

/**
 * The structural checks Mesos' master makes on a scheduler call before acting on it (its
 * {@code validation::scheduler::call::validate}): the payload for the type is present, and a
 * SUBSCRIBE names a user and a framework name. Returns the 400 message, or null when valid.
 */
final class CallValidator {
  private CallValidator() {}

  static String validate(Call call) {
    return switch (call.type()) {
      case SUBSCRIBE -> validateSubscribe(call.subscribe());
      case ACCEPT -> call.accept() == null ? missing("accept") : validateAcceptSize(call.accept());
      case DECLINE -> call.decline() == null ? missing("decline") : null;
      case KILL -> call.kill() == null ? missing("kill")
          : call.kill().taskId() == null ? "Expecting 'kill.task_id' to be present" : null;
      case ACKNOWLEDGE -> validateAck(call.acknowledge());
      case RECONCILE -> call.reconcile() == null ? missing("reconcile") : null;
      case SHUTDOWN -> call.shutdown() == null ? missing("shutdown")
          : call.shutdown().executorId() == null || call.shutdown().agentId() == null
              ? "Expecting 'shutdown' to have 'executor_id' and 'agent_id'" : null;
      case MESSAGE -> call.message() == null ? missing("message") : null;
      case REQUEST -> call.request() == null ? missing("request") : null;
      case ACCEPT_INVERSE_OFFERS -> call.acceptInverseOffers() == null ? missing("accept_inverse_offers") : null;
      case DECLINE_INVERSE_OFFERS -> call.declineInverseOffers() == null ? missing("decline_inverse_offers") : null;
      case UPDATE_FRAMEWORK -> call.updateFramework() == null ? missing("update_framework")
          : call.updateFramework().frameworkInfo() == null
              ? "Expecting 'update_framework.framework_info' to be present"
              : validateCapabilities(call.updateFramework().frameworkInfo());
      default -> null;
    };
  }

  private static String validateSubscribe(Call.Subscribe s) {
    if (s == null) {
      return missing("subscribe");
    }
    FrameworkInfo info = s.frameworkInfo();
    if (info == null) {
      return "Expecting 'subscribe.framework_info' to be present";
    }
    if (info.user() == null) {
      return "Expecting 'framework_info.user' to be present";
    }
    if (info.name() == null) {
      return "Expecting 'framework_info.name' to be present";
    }
    String capabilities = validateCapabilities(info);
    if (capabilities != null) {
      return capabilities;
    }
    if (info.failoverTimeout() != null && (info.failoverTimeout() < 0 || info.failoverTimeout().isNaN())) {
      return "'framework_info.failover_timeout' must be a non-negative number";
    }
    for (String role : info.effectiveRoles()) {
      if (role.isEmpty() || role.startsWith("-") || role.contains("/.") || role.contains(" ")
          || role.equals(".") || role.equals("..")) {
        return "Role '" + role + "' is not a valid role name";
      }
    }
    return null;
  }

  /**
   * Caps one ACCEPT (Mesos has none): a call past them is a client bug or an attack, and acting on
   * it would hold the master's single thread for long.
   */
  static final int MAX_OPERATIONS_PER_ACCEPT = 1000;
  static final int MAX_TASKS_PER_ACCEPT = 1000;

  private static String validateAcceptSize(Call.Accept accept) {
    if (accept.operations().size() > MAX_OPERATIONS_PER_ACCEPT) {
      return "An ACCEPT may carry at most " + MAX_OPERATIONS_PER_ACCEPT + " operations, not "
          + accept.operations().size();
    }
    long tasks = 0;
    for (var op : accept.operations()) {
      tasks += op.launch() == null ? 0 : op.launch().taskInfos().size();
      tasks += op.launchGroup() == null || op.launchGroup().taskGroup() == null ? 0
          : op.launchGroup().taskGroup().tasks().size();
    }
    if (tasks > MAX_TASKS_PER_ACCEPT) {
      return "An ACCEPT may launch at most " + MAX_TASKS_PER_ACCEPT + " tasks, not " + tasks;
    }
    return null;
  }

  /**
   * Every capability names a type (an unknown name reads as UNKNOWN; a null one would be kept and
   * break every view that lists the framework, found by EndpointFuzzTest).
   */
  private static String validateCapabilities(FrameworkInfo info) {
    for (FrameworkInfo.Capability c : info.capabilities()) {
      if (c == null || c.type() == null) {
        return "Expecting each 'framework_info.capabilities' entry to have a 'type'";
      }
    }
    return null;
  }

  private static String validateAck(Call.Acknowledge ack) {
    if (ack == null) {
      return missing("acknowledge");
    }
    if (ack.agentId() == null || ack.taskId() == null || ack.uuid() == null) {
      return "Expecting 'acknowledge' to have 'agent_id', 'task_id' and 'uuid'";
    }
    if (ack.uuid().size() != 16) {
      return "'acknowledge.uuid' is not a 16-byte UUID";
    }
    return null;
  }

  private static String missing(String field) {
    return "Expecting '" + field + "' to be present";
  }
}
