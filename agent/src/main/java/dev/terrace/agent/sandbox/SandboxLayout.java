package dev.terrace.agent.sandbox;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.nio.file.Path;

/**
 * Where things live under the agent's work dir, in Mesos' layout with our names:
 * {@code agents/<agent>/frameworks/<fw>/executors/<executor>/runs/<container>} for sandboxes (a
 * command task's executor id is its task id), {@code meta/} for checkpoints.
 */
public final class SandboxLayout {
  private final Path workDir;

  public SandboxLayout(Path workDir) {
    this.workDir = workDir.toAbsolutePath().normalize();
  }

  public Path workDir() {
    return workDir;
  }

  public Path agentsRoot() {
    return workDir.resolve("agents");
  }

  public Path executorDir(AgentId agent, FrameworkId fw, TaskId task) {
    return agentsRoot().resolve(safe(agent.value())).resolve("frameworks").resolve(safe(fw.value()))
        .resolve("executors").resolve(safe(task.value()));
  }

  public Path sandbox(AgentId agent, FrameworkId fw, TaskId task, String containerId) {
    return executorDir(agent, fw, task).resolve("runs").resolve(safe(containerId));
  }

  /**
   * The work dir a sandbox made by {@link #sandbox} lives in (it is eight levels below), or empty
   * for a path of another shape.
   */
  public static java.util.Optional<Path> workDirOf(Path sandbox) {
    Path p = sandbox.toAbsolutePath().normalize();
    if (p.getNameCount() < 9 || !p.getName(p.getNameCount() - 2).toString().equals("runs")
        || !p.getName(p.getNameCount() - 4).toString().equals("executors")
        || !p.getName(p.getNameCount() - 6).toString().equals("frameworks")
        || !p.getName(p.getNameCount() - 8).toString().equals("agents")) {
      return java.util.Optional.empty();
    }
    Path root = p;
    for (int i = 0; i < 8; i++) {
      root = root.getParent();
    }
    return java.util.Optional.of(root);
  }

  public Path containersDir() {
    return workDir.resolve("containers");
  }

  public Path metaDir() {
    return workDir.resolve("meta");
  }

  /** The key executor tokens are signed with (see {@code ExecutorTokens}). */
  public Path executorTokenKey() {
    return metaDir().resolve("executor-token.key");
  }

  public Path agentIdFile() {
    return metaDir().resolve("agent-id");
  }

  /** One checkpoint per task, for recovery after a restart. */
  public Path tasksDir() {
    return metaDir().resolve("tasks");
  }

  /** Downloads of URIs marked {@code cache}, shared by the tasks of this agent. */
  public Path fetchCacheDir() {
    return workDir.resolve("fetch-cache");
  }

  /** Checkpoints of custom executors (one JSON file each). */
  public Path executorsDir() {
    return metaDir().resolve("executors");
  }

  public Path statusUpdatesDir() {
    return metaDir().resolve("status-updates");
  }

  /** Ids come from frameworks: never let one name a path outside its parent. */
  static String safe(String id) {
    if (id.isEmpty() || id.equals(".") || id.equals("..") || id.contains("/") || id.contains("\0")) {
      throw new IllegalArgumentException("id '" + id + "' cannot name a directory");
    }
    return id;
  }
}
