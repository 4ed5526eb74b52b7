package dev.terrace.services.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a service spec (with defaults applied); lists every problem. */
public final class ServiceSpecValidator {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private final Set<String> roles;

  public ServiceSpecValidator(java.util.Collection<String> roles) {
    this.roles = Set.copyOf(roles);
  }

  public List<String> problems(ServiceSpec s) {
    List<String> p = new ArrayList<>();
    if (s.name() == null || !NAME.matcher(s.name()).matches()) {
      p.add("name '" + s.name() + "' must be 1-63 lower-case letters, digits or '-', not starting or ending with '-'");
    }
    if ((s.command() == null || s.command().isBlank()) && s.image() == null) {
      p.add("a service needs a command, or an image whose own command runs");
    }
    if (s.cpus() <= 0) {
      p.add("cpus must be above 0");
    }
    if (s.mem() < 4) {
      p.add("mem must be at least 4 (MB)");
    }
    if (s.instances() < 0 || s.instances() > 1000) {
      p.add("instances must be 0-1000");
    }
    Set<Integer> fixed = new HashSet<>();
    for (Integer port : s.ports()) {
      if (port == null || port < 0 || port > 65535) {
        p.add("ports must be 0 (any) or 1-65535, got " + port);
      } else if (port > 0 && !fixed.add(port)) {
        p.add("port " + port + " is asked for twice");
      }
    }
    if (s.health() != null) {
      String problem = s.health().problem(s.ports().size());
      if (problem != null) {
        p.add(problem);
      }
    }
    s.constraints().forEach(c -> {
      String problem = c.problem();
      if (problem != null) {
        p.add(problem);
      }
    });
    if (!roles.contains(s.role())) {
      p.add("role '" + s.role() + "' is not one of this framework's roles " + roles);
    }
    if (s.minimumHealthCapacity() < 0 || s.minimumHealthCapacity() > 1) {
      p.add("minimum_health_capacity must be 0-1");
    }
    if (s.maximumOverCapacity() < 0 || s.maximumOverCapacity() > 1) {
      p.add("maximum_over_capacity must be 0-1");
    }
    if (s.minimumHealthCapacity() == 1 && s.maximumOverCapacity() == 0) {
      p.add("minimum_health_capacity 1 with maximum_over_capacity 0 leaves a deploy no room to replace anything");
    }
    if (s.killGraceSeconds() < 0 || s.backoffSeconds() <= 0) {
      p.add("kill_grace_seconds must be at least 0 and backoff_seconds above 0");
    }
    return p;
  }
}
