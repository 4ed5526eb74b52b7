package dev.terrace.common.recordio;

import java.nio.charset.StandardCharsets;

/**
 * RecordIO framing as Mesos streams events: each record is its length in decimal ASCII, a newline,
 * then exactly that many bytes. The length does not count the newline and is never zero.
 */
public final class RecordIO {
  private RecordIO() {}

  public static byte[] encode(byte[] record) {
    if (record.length == 0) {
      throw new IllegalArgumentException("RecordIO records are never empty");
    }
    byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + record.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(record, 0, out, header.length, record.length);
    return out;
  }
}
