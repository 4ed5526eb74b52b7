package dev.terrace.cli.image;

import java.io.PrintStream;

/**
 * A pull's progress for people: redrawn in place ({@code \r}) on a terminal; on anything else
 * (a log, a pipe) one line per tenth of the way, so the output stays short.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal = System.console() != null;
  private long lastTenth = -1;
  private boolean drawn;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  void show(long done, long total) {
    if (total <= 0) {
      return;
    }
    long percent = Math.min(100, done * 100 / total);
    String text = "[" + "#".repeat((int) (percent * WIDTH / 100))
        + " ".repeat(WIDTH - (int) (percent * WIDTH / 100)) + "] " + percent + "% "
        + ByteSizes.format(done) + " of " + ByteSizes.format(total);
    if (terminal) {
      out.print("\r" + text);
      drawn = true;
    } else if (percent / 10 != lastTenth) {
      lastTenth = percent / 10;
      out.println(text);
    }
    out.flush();
  }

  void end() {
    if (drawn) {
      out.println();
    }
  }
}
