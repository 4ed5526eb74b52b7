package dev.terrace.agent.containerizer;

/** A terminal's window size in character cells, as {@code struct winsize} holds it. */
public record TerminalSize(int rows, int cols) {
  /** What a terminal is without being told otherwise (VT100's). */
  public static final TerminalSize DEFAULT = new TerminalSize(24, 80);

  public TerminalSize {
    if (rows < 1 || cols < 1 || rows > 0xffff || cols > 0xffff) {
      throw new IllegalArgumentException(
          "a terminal needs 1..65535 rows and columns, not " + rows + "x" + cols);
    }
  }
}
