package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Mesos `CommandInfo`. With {@code shell} true (the default) {@code value} runs under
 * {@code /bin/sh -c}; otherwise {@code value} is the executable and {@code arguments} its argv.
 */
public record CommandInfo(
    List<Uri> uris,
    Environment environment,
    @JsonProperty("shell") Boolean shell,
    String value,
    List<String> arguments,
    String user) {

  public CommandInfo {
    uris = uris == null ? List.of() : List.copyOf(uris);
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
  }

  public record Uri(String value, Boolean executable, Boolean extract, Boolean cache, String outputFile) {}

  public static CommandInfo shell(String command) {
    return new CommandInfo(null, null, true, command, null, null);
  }

  public static CommandInfo argv(List<String> argv) {
    return new CommandInfo(null, null, false, argv.get(0), argv, null);
  }

  /** Whether {@code value} runs under a shell; {@code shell} absent means true, as in mesos.proto. */
  // Without @JsonIgnore here (and @JsonProperty on the component, so the ignore does not drop the
  // whole property) Jackson takes this for the getter of "shell" and writes true for an absent one.
  @JsonIgnore
  public boolean isShell() {
    return shell == null || shell;
  }

  public CommandInfo withEnvironment(Environment env) {
    return new CommandInfo(uris, env, shell, value, arguments, user);
  }
}
