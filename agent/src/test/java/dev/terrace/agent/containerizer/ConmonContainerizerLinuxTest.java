package dev.terrace.agent.containerizer;

import dev.terrace.agent.runtime.ContainerMonitor;

/** The containerizer with crun under conmon, the fallback monitor ({@code --container-monitor conmon}). */
class ConmonContainerizerLinuxTest extends OciContainerizerLinuxTestBase {
  @Override
  String runtimeName() {
    return "crun";
  }

  @Override
  OciContainerizerConfig configure(OciContainerizerConfig defaults) {
    return defaults.withMountMissingCgroups(true).withMonitor(ContainerMonitor.Kind.CONMON);
  }
}
