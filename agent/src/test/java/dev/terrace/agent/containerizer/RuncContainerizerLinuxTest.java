package dev.terrace.agent.containerizer;

/** The containerizer with runc, which works on v1, hybrid and v2 hosts as they are. */
class RuncContainerizerLinuxTest extends OciContainerizerLinuxTestBase {
  @Override
  String runtimeName() {
    return "runc";
  }

  @Override
  OciContainerizerConfig configure(OciContainerizerConfig defaults) {
    return defaults;
  }
}
