package dev.terrace.cli;

import dev.terrace.cli.image.ByteSizes;
import java.nio.file.Path;
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
}
