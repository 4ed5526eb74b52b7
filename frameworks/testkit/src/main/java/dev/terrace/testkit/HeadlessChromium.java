package dev.terrace.testkit;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real headless Chromium for UI tests (Debian's {@code chromium}, as root, no sandbox). */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** The browser binary on PATH, or null when none is installed. */
  public static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        if (Files.isExecutable(Paths.get(dir, name))) {
          return Paths.get(dir, name).toString();
        }
      }
    }
    return null;
  }

  /**
   * Runs Chromium once with {@code args} (fresh profile, no network beyond the page, 8 s of virtual
   * time so a page's polling runs a few rounds) and returns its stdout, e.g. for {@code --dump-dom}.
   */
  public static String run(String... args) throws Exception {
    Path profile = Files.createTempDirectory("terrace-chromium-");
    Path out = Files.createTempFile("terrace-chromium-", ".out");
    try {
      List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox",
          "--disable-gpu", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=8000"));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish within 60 s: " + cmd);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("chromium exited with " + p.exitValue() + ": " + cmd);
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }
}
