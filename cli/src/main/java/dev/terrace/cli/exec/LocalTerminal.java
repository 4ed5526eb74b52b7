package dev.terrace.cli.exec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * The terminal {@code terrace exec -t} runs in, driven through {@code stty} on {@code /dev/tty}
 * (the JDK has no termios): its size, raw mode while the remote command owns it (keys such as
 * Ctrl-C go to the command, not to us), and SIGWINCH for resizes.
 */
public final class LocalTerminal {
  private static final File TTY = new File("/dev/tty");
  private String saved;

  /** Rows and columns of our terminal, or null when we have none (stdin is not a terminal). */
  public int[] size() {
    try {
      String[] rc = stty("size").trim().split("\\s+");
      int rows = Integer.parseInt(rc[0]);
      int cols = Integer.parseInt(rc[1]);
      return rows > 0 && cols > 0 ? new int[] {rows, cols} : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Raw mode without echo until {@link #restore}; false when there is no terminal to change. */
  public boolean enterRaw() {
    try {
      saved = stty("-g").trim();
      stty("raw", "-echo");
      return true;
    } catch (IOException e) {
      saved = null;
      return false;
    }
  }

  /** Gives the terminal back as it was; idempotent. */
  public synchronized void restore() {
    if (saved != null) {
      try {
        stty(saved);
      } catch (IOException e) {
        System.err.println("terrace: cannot restore the terminal (run `stty sane`): " + e.getMessage());
      }
      saved = null;
    }
  }

  /** Calls {@code listener} with the new rows and columns each time our window is resized. */
  public void onResize(BiConsumer<Integer, Integer> listener) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> {
        int[] size = size();
        if (size != null) {
          listener.accept(size[0], size[1]);
        }
      });
    } catch (IllegalArgumentException e) {
      // No SIGWINCH here (not a Unix): the remote terminal keeps its first size.
    }
  }

  private static String stty(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "stty";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectInput(TTY)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("stty " + String.join(" ", args) + " failed");
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
