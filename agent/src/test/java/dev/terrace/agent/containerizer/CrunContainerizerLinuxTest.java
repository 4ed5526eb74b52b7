package dev.terrace.agent.containerizer;

/**
 * The containerizer with crun. On a hybrid cgroup host this mounts the controllers left on
 * cgroup2 (hugetlb) as v1 hierarchies, a host change that stays after the test (it is what an
 * agent configured with mountMissingCgroups does at start, and it does not disturb runc).
 */
class CrunContainerizerLinuxTest extends OciContainerizerLinuxTestBase {
  @Override
  String runtimeName() {
    return "crun";
  }

  @Override
  OciContainerizerConfig configure(OciContainerizerConfig defaults) {
    return defaults.withMountMissingCgroups(true);
  }
}
