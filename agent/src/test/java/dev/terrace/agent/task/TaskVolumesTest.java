package dev.terrace.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.containerizer.ContainerLaunch.HostVolume;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskVolumesTest {

  private static TaskInfo task(ContainerInfo.Volume... volumes) {
    return TaskInfo.command("t", TaskId.of("t1"), AgentId.of("a1"), List.of(), CommandInfo.shell("true"))
        .withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, List.of(volumes), null, null, null, null));
  }

  private static ContainerInfo.Volume volume(String host, String container) {
    return new ContainerInfo.Volume(container, host, ContainerInfo.Volume.Mode.RW, null);
  }

  @Test
  void relativeHostPathsBecomeHostVolumes() {
    TaskInfo t = task(volume("notebooks/alice", "/notebook"),
        new ContainerInfo.Volume("/data", "shared/data", ContainerInfo.Volume.Mode.RO, null));

    assertThat(TaskVolumes.invalid(t)).isEmpty();
    assertThat(TaskVolumes.of(t)).containsExactly(new HostVolume("notebooks/alice", "/notebook", false),
        new HostVolume("shared/data", "/data", true));
  }

  @Test
  void hostPathsOutsideTheVolumeDirectoryAreRefused() {
    for (String bad : List.of("/etc", "../etc", "a/../../etc", "a/..", ".", "a//b", "a/b/", "")) {
      assertThat(TaskVolumes.invalid(task(volume(bad, "/x")))).as(bad).hasValueSatisfying(
          m -> assertThat(m).contains("relative path"));
    }
  }

  @Test
  void containerPathsMustBeAbsoluteAndOutsideKernelFileSystems() {
    for (String bad : List.of("x", "/", "/proc", "/proc/1", "/sys/fs", "/dev", "/a/../etc")) {
      assertThat(TaskVolumes.invalid(task(volume("v", bad)))).as(bad).hasValueSatisfying(
          m -> assertThat(m).contains("container_path"));
    }
  }

  @Test
  void volumesWithoutAHostPathAreRefused() {
    assertThat(TaskVolumes.invalid(task(new ContainerInfo.Volume("/x", null, ContainerInfo.Volume.Mode.RW, null))))
        .hasValueSatisfying(m -> assertThat(m).contains("only host_path"));
  }
}
