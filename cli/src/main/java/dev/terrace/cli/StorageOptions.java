package dev.terrace.cli;

import dev.terrace.cli.image.ByteSizes;
import dev.terrace.agent.sandbox.SandboxSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What an agent keeps on disk and for how long: the flags `agent` and `local` share. */
final class StorageOptions {
  @Option(names = "--image-dir", defaultValue = "${env:TERRACE_IMAGE_DIR}",
      description = "A directory of docker save archives and OCI image layouts, imported at start"
          + " and when a task names an image not cached yet; their tags resolve without a"
          + " registry (env TERRACE_IMAGE_DIR).")
  Path imageDir;

  @Option(names = "--image-gc-threshold", defaultValue = "${env:TERRACE_IMAGE_GC_THRESHOLD:-0}",
      converter = ByteSizes.class,
      description = "Above this size of cached images (e.g. 20GiB), remove images no container"
          + " uses, least recently used first; 0 = never (env TERRACE_IMAGE_GC_THRESHOLD).")
  long imageGcThreshold;

  @Option(names = "--log-max-size", defaultValue = "${env:TERRACE_LOG_MAX_SIZE:-10MiB}",
      converter = ByteSizes.class,
      description = "Rotate a task's stdout or stderr above this size, without losing a line"
          + " (env TERRACE_LOG_MAX_SIZE, default ${DEFAULT-VALUE}).")
  long logMaxSize = 10L << 20;

  @Option(names = "--log-max-files", defaultValue = "${env:TERRACE_LOG_MAX_FILES:-5}",
      description = "Files kept per stream, the live one included: stdout, stdout.1, ..."
          + " (env TERRACE_LOG_MAX_FILES, default ${DEFAULT-VALUE}).")
  int logMaxFiles = 5;

  @Option(names = "--sandbox-gc-delay", defaultValue = "${env:TERRACE_SANDBOX_GC_DELAY:-7d}",
      converter = DurationConverter.class,
      description = "Remove a finished task's sandbox after this long, e.g. 1h, 2d (env"
          + " TERRACE_SANDBOX_GC_DELAY, default ${DEFAULT-VALUE}).")
  Duration sandboxGcDelay = Duration.ofDays(7);

  @Option(names = "--sandbox-gc-disk-headroom",
      defaultValue = "${env:TERRACE_SANDBOX_GC_DISK_HEADROOM:-0.1}",
      description = "Below this fraction of free disk, finished sandboxes go before their delay,"
          + " oldest first (env TERRACE_SANDBOX_GC_DISK_HEADROOM, default ${DEFAULT-VALUE}).")
  double sandboxGcDiskHeadroom = 0.1;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  /** The sandbox settings; a bad combination is a usage error, before anything starts. */
  SandboxSettings sandboxSettings() {
    try {
      return SandboxSettings.defaults().withLogs(logMaxSize, logMaxFiles)
          .withGc(sandboxGcDelay, sandboxGcDiskHeadroom);
    } catch (IllegalArgumentException e) {
      if (mixee == null) {
        throw e;
      }
      throw new picocli.CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
    }
  }
}
