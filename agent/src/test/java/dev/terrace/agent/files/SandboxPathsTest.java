package dev.terrace.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.sandbox.SandboxLayout;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxPathsTest {
  private static final String VIRTUAL_RUN = "/frameworks/fw-1/executors/task-1/runs/";

  @TempDir
  Path workDir;

  private SandboxLayout layout;
  private final AtomicReference<String> agentId = new AtomicReference<>("agent-1");
  private SandboxPaths paths;
  private Path sandbox;

  @BeforeEach
  void sandbox() throws Exception {
    layout = new SandboxLayout(workDir);
    sandbox = layout.sandbox(AgentId.of("agent-1"), FrameworkId.of("fw-1"), TaskId.of("task-1"), "c-1");
    Files.createDirectories(sandbox);
    Files.writeString(sandbox.resolve("stdout"), "hello\n");
    Files.createSymbolicLink(sandbox.getParent().resolve("latest"), sandbox.getFileName());
    Files.createDirectories(layout.metaDir());
    Files.writeString(layout.agentIdFile(), "agent-1");
    paths = new SandboxPaths(layout.agentsRoot(), agentId::get);
  }

  @Test
  void virtualLatestPathMapsIntoTheAgentDirectory() throws Exception {
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/stdout"))
        .hasValue(sandbox.resolve("stdout").toRealPath());
  }

  @Test
  void virtualPathWithTheContainerIdAndTheRunDirectoryItself() throws Exception {
    assertThat(paths.resolve(VIRTUAL_RUN + "c-1/stdout"))
        .hasValue(sandbox.resolve("stdout").toRealPath());
    assertThat(paths.resolve(VIRTUAL_RUN + "latest")).hasValue(sandbox.toRealPath());
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/")).hasValue(sandbox.toRealPath());
  }

  @Test
  void realPathsInsideASandboxAreAccepted() throws Exception {
    assertThat(paths.resolve(sandbox.resolve("stdout").toString()))
        .hasValue(sandbox.resolve("stdout").toRealPath());
  }

  @Test
  void pathsOutsideTheAgentsRootAreRefused() throws Exception {
    assertThat(paths.resolve("/etc/passwd")).isEmpty();
    assertThat(paths.resolve(layout.agentIdFile().toString())).isEmpty();
    assertThat(paths.resolve(workDir.toString())).isEmpty();
    assertThat(paths.resolve("stdout")).as("relative to the working directory").isEmpty();
  }

  @Test
  void dotDotEscapesAreRefused() throws Exception {
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/../../../../../../../../meta/agent-id")).isEmpty();
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/" + "../".repeat(30) + "etc/passwd")).isEmpty();
    assertThat(paths.resolve("/frameworks/../executors/../runs/../../etc/passwd")).isEmpty();
    assertThat(paths.resolve(layout.agentsRoot() + "/../meta/agent-id")).isEmpty();
    assertThat(paths.resolve(sandbox + "/" + "../".repeat(30) + "etc/passwd")).isEmpty();
  }

  @Test
  void aSymlinkInASandboxPointingOutsideIsRefused() throws Exception {
    Files.createSymbolicLink(sandbox.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(sandbox.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(sandbox.resolve("meta"), Path.of("../../../../../../../meta"));

    assertThat(paths.resolve(VIRTUAL_RUN + "latest/passwd")).isEmpty();
    assertThat(paths.resolve(sandbox.resolve("passwd").toString())).isEmpty();
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/etc/passwd")).isEmpty();
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/meta/agent-id")).isEmpty();
  }

  @Test
  void aMissingFileIsEmpty() throws Exception {
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/no-such-file")).isEmpty();
    assertThat(paths.resolve("/frameworks/fw-9/executors/task-1/runs/latest/stdout")).isEmpty();
    assertThat(paths.resolve(sandbox.resolve("stderr").toString())).isEmpty();
  }

  @Test
  void emptyNullAndNulPathsAreRefused() throws Exception {
    assertThat(paths.resolve(null)).isEmpty();
    assertThat(paths.resolve("")).isEmpty();
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/stdout\0")).isEmpty();
  }

  @Test
  void virtualPathsNeedAnAgentId() throws Exception {
    agentId.set(null);
    assertThat(paths.resolve(VIRTUAL_RUN + "latest/stdout")).isEmpty();
    // The real path still works.
    assertThat(paths.resolve(sandbox.resolve("stdout").toString())).isPresent();
  }

  @Test
  void anAgentsRootBehindASymlinkStillWorks() throws Exception {
    Path link = Files.createSymbolicLink(workDir.resolveSibling(workDir.getFileName() + "-link"), workDir);
    try {
      SandboxPaths viaLink = new SandboxPaths(link.resolve("agents"), agentId::get);
      assertThat(viaLink.resolve(VIRTUAL_RUN + "latest/stdout"))
          .hasValue(sandbox.resolve("stdout").toRealPath());
      assertThat(viaLink.resolve(link + "/meta/agent-id")).isEmpty();
    } finally {
      Files.delete(link);
    }
  }
}
