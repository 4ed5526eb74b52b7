package dev.terrace.jobs.spec;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.sdk.placement.Constraint;
import java.util.List;
import java.util.Map;

/**
 * What a user submits: a job is a command (in an image, or on the host) with resources, run as
 * {@code instances} copies per run, retried on failure, optionally on a cron schedule or after
 * other jobs succeed. Absent fields take the defaults of {@link #withDefaults()}.
 *
 * @param command run with {@code /bin/sh -c}; may be absent only with an image (its own command)
 * @param retries how many times a failed instance is run again (with backoff) before the run fails
 * @param retryBackoffSeconds the first delay before a retry; it doubles each time, to at most 5 min
 * @param timeoutSeconds a running instance is killed (and counts as failed) after this long
 * @param schedule a cron expression ({@link dev.terrace.jobs.cron.CronExpression}) in {@code timeZone}
 * @param dependencies jobs whose success starts this one (a job has a schedule or dependencies)
 */
public record JobSpec(
    String name,
    String image,
    String command,
    Double cpus,
    Double mem,
    Double disk,
    Double gpus,
    Map<String, String> env,
    List<CommandInfo.Uri> uris,
    String role,
    List<Constraint> constraints,
    Integer instances,
    Integer retries,
    Double retryBackoffSeconds,
    Double timeoutSeconds,
    String schedule,
    String timeZone,
    ConcurrencyPolicy concurrencyPolicy,
    List<String> dependencies) {

  public JobSpec {
    env = env == null ? Map.of() : Map.copyOf(env);
    uris = uris == null ? List.of() : List.copyOf(uris);
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
  }

  /** This spec with every absent field at its default. */
  public JobSpec withDefaults() {
    return new JobSpec(name, image, command, or(cpus, 0.1), or(mem, 32.0), or(disk, 0.0), or(gpus, 0.0),
        env, uris, role == null ? "*" : role, constraints, or(instances, 1), or(retries, 0),
        or(retryBackoffSeconds, 1.0), timeoutSeconds, schedule, timeZone == null ? "UTC" : timeZone,
        concurrencyPolicy == null ? ConcurrencyPolicy.FORBID : concurrencyPolicy, dependencies);
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
