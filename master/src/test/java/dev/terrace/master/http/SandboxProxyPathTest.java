package dev.terrace.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sandbox proxy's path rule: normalised inside the sandbox, or refused (null). */
class SandboxProxyPathTest {
  @Test
  void normalisesPathsInsideTheSandbox() {
    assertThat(SandboxProxy.confined(null)).isEmpty();
    assertThat(SandboxProxy.confined("")).isEmpty();
    assertThat(SandboxProxy.confined("/")).isEmpty();
    assertThat(SandboxProxy.confined("stdout")).isEqualTo("stdout");
    assertThat(SandboxProxy.confined("/sub//dir/./file.txt/")).isEqualTo("sub/dir/file.txt");
    assertThat(SandboxProxy.confined("a..b/..c")).isEqualTo("a..b/..c");
  }

  @Test
  void refusesWhatWouldLeaveTheSandbox() {
    assertThat(SandboxProxy.confined("..")).isNull();
    assertThat(SandboxProxy.confined("../other-task/stdout")).isNull();
    assertThat(SandboxProxy.confined("sub/../../x")).isNull();
    assertThat(SandboxProxy.confined("sub/\0")).isNull();
    assertThat(SandboxProxy.confined("x".repeat(5000))).isNull();
  }
}
