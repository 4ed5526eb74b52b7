package dev.terrace.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeStderrTest {
  @TempDir Path dir;

  @Test
  void lastErrorUnwrapsRuncLogfmtAndIgnoresEarlierOutput() throws IOException {
    Path stderr = dir.resolve("stderr");
    Files.writeString(stderr, "old task output\n");
    long offset = Files.size(stderr);
    Files.writeString(stderr, "time=\"2026-01-01T00:00:00Z\" level=error msg=\"runc create failed:"
        + " exec: \\\"/no/such\\\": stat /no/such: no such file or directory\"\n",
        java.nio.file.StandardOpenOption.APPEND);

    assertThat(RuntimeStderr.lastError(stderr, offset)).contains(
        "runc create failed: exec: \"/no/such\": stat /no/such: no such file or directory");
  }

  @Test
  void lastErrorPassesPlainLinesAndNothingWhenEmpty() throws IOException {
    Path stderr = dir.resolve("stderr");
    Files.writeString(stderr, "executable file `/x` not found in $PATH\n");
    assertThat(RuntimeStderr.lastError(stderr, 0)).contains("executable file `/x` not found in $PATH");
    assertThat(RuntimeStderr.lastError(stderr, Files.size(stderr))).isEmpty();
    assertThat(RuntimeStderr.lastError(dir.resolve("missing"), 0)).isEmpty();
  }
}
