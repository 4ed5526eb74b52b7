package dev.terrace.master.auth;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.scheduler.Call;
import dev.terrace.master.scheduler.SchedulerCallGate;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.security.authn.AuthenticationHandler;
import dev.terrace.security.authn.AuthenticationPolicy;
import dev.terrace.security.authn.Realm;
import dev.terrace.security.authz.Action;
import dev.terrace.security.authz.Authorizer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Authorization of v1 scheduler calls, as Mesos does it: the principal a framework authenticated
 * as must be the one in its {@code FrameworkInfo} (and stays bound to the framework for every later
 * call); ACLs decide its roles ({@code register_frameworks}, on SUBSCRIBE and UPDATE_FRAMEWORK),
 * the users its tasks run as ({@code run_tasks}), reservations ({@code reserve_resources},
 * {@code unreserve_resources}) and teardown ({@code teardown_frameworks}).
 */
public final class SchedulerAuthorization implements SchedulerCallGate {
  private final AuthenticationPolicy authentication;
  private final Authorizer authorizer;

  public SchedulerAuthorization(AuthenticationPolicy authentication, Authorizer authorizer) {
    this.authentication = authentication;
    this.authorizer = authorizer;
  }

  @Override
  public String refuse(RoutingContext ctx, Call call, FrameworkEntry framework) {
    return refuse(AuthenticationHandler.principal(ctx), call, framework);
  }

  /** @param principal the authenticated principal, null when the caller sent no credentials */
  public String refuse(String principal, Call call, FrameworkEntry framework) {
    if (call.type() == Call.Type.SUBSCRIBE) {
      FrameworkInfo info = call.subscribe().frameworkInfo();
      String mismatch = principalMismatch(principal, info.principal());
      return mismatch != null ? mismatch : firstDenial(principal, Action.REGISTER_FRAMEWORKS, roles(info));
    }
    String mismatch = principalMismatch(principal, framework.info.principal());
    if (mismatch != null) {
      return mismatch;
    }
    String subject = framework.info.principal();
    return switch (call.type()) {
      case ACCEPT -> accept(subject, framework.info, call.accept());
      case TEARDOWN -> authorizer.deny(subject, Action.TEARDOWN_FRAMEWORKS, subject).orElse(null);
      case UPDATE_FRAMEWORK -> call.updateFramework() == null ? null
          : firstDenial(subject, Action.REGISTER_FRAMEWORKS, roles(call.updateFramework().frameworkInfo()));
      default -> null;
    };
  }

  /**
   * With framework authentication on, a call must carry the framework's own principal; with it
   * off, credentials that were sent anyway must still not contradict the framework's principal.
   */
  private String principalMismatch(String authenticated, String claimed) {
    if (authenticated == null) {
      return authentication.requires(Realm.FRAMEWORK)
          ? "Authentication required" : null;
    }
    if (!authenticated.equals(claimed)) {
      return "Authenticated principal '" + authenticated + "' does not match principal '"
          + Objects.toString(claimed, "") + "' set in FrameworkInfo";
    }
    return null;
  }

  private String accept(String principal, FrameworkInfo fw, Call.Accept accept) {
    for (Operation op : accept.operations()) {
      List<String> denials = new ArrayList<>();
      if (op.launch() != null) {
        for (TaskInfo t : op.launch().taskInfos()) {
          denials.add(denial(principal, Action.RUN_TASKS, userOf(t, fw)));
        }
      }
      if (op.launchGroup() != null && op.launchGroup().taskGroup() != null) {
        for (TaskInfo t : op.launchGroup().taskGroup().tasks()) {
          denials.add(denial(principal, Action.RUN_TASKS, userOf(t, fw)));
        }
      }
      if (op.reserve() != null) {
        for (var r : op.reserve().resources()) {
          denials.add(denial(principal, Action.RESERVE_RESOURCES, ResourceRoles.reservationRole(r)));
        }
      }
      if (op.unreserve() != null) {
        for (var r : op.unreserve().resources()) {
          denials.add(denial(principal, Action.UNRESERVE_RESOURCES, ResourceRoles.reserverPrincipal(r)));
        }
      }
      Optional<String> first = denials.stream().filter(Objects::nonNull).findFirst();
      if (first.isPresent()) {
        return first.get();
      }
    }
    return null;
  }

  private String firstDenial(String principal, Action action, List<String> objects) {
    for (String o : objects) {
      String d = denial(principal, action, o);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private String denial(String principal, Action action, String object) {
    return authorizer.deny(principal, action, object).orElse(null);
  }

  /** A task runs as its command's user, else its framework's (Mesos' rule). */
  static String userOf(TaskInfo t, FrameworkInfo fw) {
    if (t.command() != null && t.command().user() != null && !t.command().user().isEmpty()) {
      return t.command().user();
    }
    return fw.user();
  }

  /** The roles the master will give the framework (MULTI_ROLE's list, else its single role). */
  static List<String> roles(FrameworkInfo info) {
    return info == null ? List.of() : info.effectiveRoles();
  }
}
