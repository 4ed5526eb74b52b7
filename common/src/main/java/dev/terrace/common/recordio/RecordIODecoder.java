package dev.terrace.common.recordio;

import java.util.function.Consumer;

/**
 * Incremental RecordIO decoder: feed it chunks as they arrive off the wire (HTTP chunks need not
 * line up with records) and it hands over each complete record. A malformed header or a record
 * over {@code maxRecordBytes} throws {@link RecordIOException} and the stream is unusable after.
 */
public final class RecordIODecoder {
  private static final int MAX_HEADER_DIGITS = 19;

  private final int maxRecordBytes;
  private final Consumer<byte[]> sink;
  private final StringBuilder header = new StringBuilder();
  private byte[] record;
  private int filled;
  private boolean failed;

  public RecordIODecoder(int maxRecordBytes, Consumer<byte[]> sink) {
    this.maxRecordBytes = maxRecordBytes;
    this.sink = sink;
  }

  public void feed(byte[] chunk) {
    feed(chunk, 0, chunk.length);
  }

  public void feed(byte[] chunk, int offset, int length) {
    if (failed) {
      throw new RecordIOException("decoder already failed");
    }
    int i = offset;
    int end = offset + length;
    try {
      while (i < end) {
        if (record == null) {
          byte b = chunk[i++];
          if (b == '\n') {
            startRecord();
          } else if (b >= '0' && b <= '9' && header.length() < MAX_HEADER_DIGITS) {
            header.append((char) b);
          } else {
            throw new RecordIOException("bad RecordIO length header near byte '" + (char) b + "'");
          }
        } else {
          int n = Math.min(end - i, record.length - filled);
          System.arraycopy(chunk, i, record, filled, n);
          filled += n;
          i += n;
          if (filled == record.length) {
            byte[] done = record;
            record = null;
            sink.accept(done);
          }
        }
      }
    } catch (RecordIOException e) {
      failed = true;
      throw e;
    }
  }

  /** True when no record is half-read: a stream that ends here ended cleanly. */
  public boolean isAtBoundary() {
    return record == null && header.length() == 0;
  }

  private void startRecord() {
    if (header.length() == 0) {
      throw new RecordIOException("empty RecordIO length header");
    }
    String digits = header.toString();
    header.setLength(0);
    long len;
    try {
      len = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      // Only digits get here, so this is a length past Long.MAX_VALUE (RecordIO sizes are uint64).
      throw new RecordIOException("RecordIO record of " + digits + " bytes exceeds the limit of " + maxRecordBytes);
    }
    if (len <= 0) {
      throw new RecordIOException("RecordIO record length must be positive, got " + len);
    }
    if (len > maxRecordBytes) {
      throw new RecordIOException("RecordIO record of " + len + " bytes exceeds the limit of " + maxRecordBytes);
    }
    record = new byte[(int) len];
    filled = 0;
  }

  /** Decodes a whole buffer that holds complete records, for tests and small payloads. */
  public static java.util.List<byte[]> decodeAll(byte[] data) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    RecordIODecoder d = new RecordIODecoder(Integer.MAX_VALUE, out::add);
    d.feed(data);
    if (!d.isAtBoundary()) {
      throw new RecordIOException("stream ended inside a record");
    }
    return out;
  }

}
