package dev.terrace.agent.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a runtime failed, read back from the container's stderr file: the monitors pass it to the
 * runtime as its stderr, so the runtime's complaint lands there, where the task's owner sees it.
 */
final class RuntimeStderr {
  private RuntimeStderr() {}

  private static final Pattern LOGFMT_MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /**
   * The last line written to {@code file} after {@code offset}, with runc's logfmt wrapper
   * ({@code time=... level=error msg="..."}) removed.
   */
  static Optional<String> lastError(Path file, long offset) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long start = Math.max(offset, ch.size() - 4096);
      ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, ch.size() - start));
      ch.position(start);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read fully
      }
      String[] lines = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)
          .strip().split("\n");
      String last = lines[lines.length - 1].strip();
      if (last.isEmpty()) {
        return Optional.empty();
      }
      Matcher m = LOGFMT_MSG.matcher(last);
      return Optional.of(m.find() ? m.group(1).replace("\\\"", "\"") : last);
    }
  }

  /** The size of {@code file}, 0 when missing: the offset to read a new complaint from. */
  static long size(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }
}
