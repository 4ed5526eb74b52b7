package dev.terrace.jobs.spec;

import dev.terrace.jobs.cron.CronExpression;
import dev.terrace.sdk.placement.Constraint;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a job spec (with defaults applied) against itself and the other jobs; lists every problem. */
public final class JobSpecValidator {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final Set<String> roles;

  /** {@code roles}: the roles the framework subscribes with; a job may only use one of those. */
  public JobSpecValidator(Collection<String> roles) {
    this.roles = Set.copyOf(roles);
  }

  /** The problems of {@code spec}, given the other jobs by name; empty when it is valid. */
  public List<String> problems(JobSpec spec, Map<String, JobSpec> others) {
    List<String> p = new ArrayList<>();
    if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
      p.add("name '" + spec.name() + "' must be 1-63 lower-case letters, digits or '-', not starting or ending with '-'");
    }
    if ((spec.command() == null || spec.command().isBlank()) && spec.image() == null) {
      p.add("a job needs a command, or an image whose own command runs");
    }
    if (spec.cpus() <= 0) {
      p.add("cpus must be above 0");
    }
    if (spec.mem() < 4) {
      p.add("mem must be at least 4 (MB)");
    }
    if (spec.disk() < 0 || spec.gpus() < 0) {
      p.add("disk and gpus cannot be negative");
    }
    if (spec.instances() < 1 || spec.instances() > 1000) {
      p.add("instances must be 1-1000");
    }
    if (spec.retries() < 0 || spec.retries() > 100) {
      p.add("retries must be 0-100");
    }
    if (spec.retryBackoffSeconds() <= 0) {
      p.add("retry_backoff_seconds must be above 0");
    }
    if (spec.timeoutSeconds() != null && spec.timeoutSeconds() <= 0) {
      p.add("timeout_seconds must be above 0");
    }
    if (!roles.contains(spec.role())) {
      p.add("role '" + spec.role() + "' is not one of this framework's roles " + roles);
    }
    for (Constraint c : spec.constraints()) {
      String problem = c.problem();
      if (problem != null) {
        p.add(problem);
      }
    }
    for (var u : spec.uris()) {
      if (u.value() == null || u.value().isBlank()) {
        p.add("a URI needs a value");
      }
    }
    try {
      ZoneId.of(spec.timeZone());
    } catch (DateTimeException e) {
      p.add("time_zone '" + spec.timeZone() + "' is not a known zone (e.g. UTC, Europe/Paris)");
    }
    if (spec.schedule() != null) {
      try {
        CronExpression.parse(spec.schedule());
      } catch (IllegalArgumentException e) {
        p.add(e.getMessage());
      }
      if (!spec.dependencies().isEmpty()) {
        p.add("a job runs on a schedule or after its dependencies, not both");
      }
    }
    for (String dep : spec.dependencies()) {
      if (dep.equals(spec.name())) {
        p.add("a job cannot depend on itself");
      } else if (!others.containsKey(dep)) {
        p.add("dependency '" + dep + "' is not a job");
      }
    }
    if (p.isEmpty() && createsCycle(spec, others)) {
      p.add("dependencies of " + spec.name() + " would form a cycle");
    }
    return p;
  }

  private static boolean createsCycle(JobSpec spec, Map<String, JobSpec> others) {
    Deque<String> todo = new ArrayDeque<>(spec.dependencies());
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String job = todo.pop();
      if (job.equals(spec.name())) {
        return true;
      }
      if (seen.add(job) && others.containsKey(job)) {
        todo.addAll(others.get(job).dependencies());
      }
    }
    return false;
  }
}
