package dev.terrace.agent.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a files-API path to a real file, confined to the agent's sandboxes. Accepted: Mesos'
 * virtual form {@code /frameworks/F/executors/E/runs/(latest|C)/...} and the real path under the
 * agent's {@code agents/} directory. Anything that resolves (after symlinks) outside the sandboxes
 * is refused, so a task cannot plant a link that reads the host's files.
 */
public final class SandboxPaths {
  private static final Pattern VIRTUAL =
      Pattern.compile("^/frameworks/([^/]+)/executors/([^/]+)/runs/([^/]+)(/.*)?$");

  private final Path agentsRoot;
  private final java.util.function.Supplier<String> agentId;

  public SandboxPaths(Path agentsRoot, java.util.function.Supplier<String> agentId) {
    this.agentsRoot = agentsRoot.toAbsolutePath().normalize();
    this.agentId = agentId;
  }

  /** The real path, or empty when the path is outside every sandbox or does not exist. */
  public Optional<Path> resolve(String requested) throws IOException {
    if (requested == null || requested.isEmpty() || requested.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    Path candidate;
    Matcher m = VIRTUAL.matcher(requested);
    if (m.matches() && agentId.get() != null) {
      String rest = m.group(4) == null ? "" : m.group(4).substring(1);
      candidate = agentsRoot.resolve(agentId.get()).resolve("frameworks").resolve(m.group(1))
          .resolve("executors").resolve(m.group(2)).resolve("runs").resolve(m.group(3)).resolve(rest);
    } else {
      candidate = Path.of(requested);
    }
    candidate = candidate.toAbsolutePath().normalize();
    if (!candidate.startsWith(agentsRoot) || !Files.exists(candidate)) {
      return Optional.empty();
    }
    Path real = candidate.toRealPath();
    Path realRoot = Files.exists(agentsRoot, LinkOption.NOFOLLOW_LINKS) ? agentsRoot.toRealPath() : agentsRoot;
    return real.startsWith(realRoot) ? Optional.of(real) : Optional.empty();
  }
}
