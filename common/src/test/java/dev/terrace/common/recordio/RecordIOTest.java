package dev.terrace.common.recordio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.json.Json;
import dev.terrace.common.scheduler.Event;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordIOTest {

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static List<String> strings(List<byte[]> records) {
    return records.stream().map(r -> new String(r, UTF_8)).toList();
  }

  @Test
  void encodesLengthNewlineAndBytes() {
    assertThat(new String(RecordIO.encode("{\"type\":\"HEARTBEAT\"}".getBytes(UTF_8)), UTF_8))
        .isEqualTo("20\n{\"type\":\"HEARTBEAT\"}");
  }

  @Test
  void lengthCountsBytesNotCharacters() {
    byte[] record = "{\"message\":\"héllo – 世界 🚀\"}".getBytes(UTF_8);
    byte[] framed = RecordIO.encode(record);
    String header = new String(framed, 0, framed.length - record.length, UTF_8);
    assertThat(header).isEqualTo(record.length + "\n");
    assertThat(record.length).isGreaterThan("{\"message\":\"héllo – 世界 🚀\"}".length());
    assertThat(strings(RecordIODecoder.decodeAll(framed)))
        .containsExactly("{\"message\":\"héllo – 世界 🚀\"}");
  }

  @Test
  void emptyRecordCannotBeEncoded() {
    assertThatThrownBy(() -> RecordIO.encode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodesSeveralRecordsFromOneBuffer() {
    byte[] stream = concat(RecordIO.encode("a".getBytes(UTF_8)), RecordIO.encode("bc".getBytes(UTF_8)),
        RecordIO.encode("0123456789\n".getBytes(UTF_8)));
    assertThat(strings(RecordIODecoder.decodeAll(stream))).containsExactly("a", "bc", "0123456789\n");
  }

  @Test
  void everySplitPointOfAStreamGivesTheSameRecords() {
    List<String> expected = List.of(
        Json.toString(Event.heartbeat()),
        Json.toString(Event.error("ünïcödé – 日本語 🚀 crosses chunk boundaries")),
        "x",
        "1234567890".repeat(12));
    byte[] stream = concat(expected.stream().map(s -> RecordIO.encode(s.getBytes(UTF_8)))
        .toArray(byte[][]::new));
    // Two cuts at every pair of positions: three chunks, some of them empty.
    for (int i = 0; i <= stream.length; i++) {
      for (int j = i; j <= stream.length; j += 7) {
        List<byte[]> got = new ArrayList<>();
        RecordIODecoder d = new RecordIODecoder(1 << 20, got::add);
        d.feed(Arrays.copyOfRange(stream, 0, i));
        d.feed(stream, i, j - i);
        d.feed(Arrays.copyOfRange(stream, j, stream.length));
        assertThat(strings(got)).as("cuts at %d and %d", i, j).isEqualTo(expected);
        assertThat(d.isAtBoundary()).isTrue();
      }
    }
  }

  @Test
  void byteByByteFeedingWorks() {
    byte[] stream = concat(RecordIO.encode("héllo".getBytes(UTF_8)), RecordIO.encode("wörld".getBytes(UTF_8)));
    List<byte[]> got = new ArrayList<>();
    RecordIODecoder d = new RecordIODecoder(64, got::add);
    for (int i = 0; i < stream.length; i++) {
      d.feed(stream, i, 1);
      int firstEnd = "6\n".length() + "héllo".getBytes(UTF_8).length - 1;
      boolean endOfRecord = i == firstEnd || i == stream.length - 1;
      assertThat(d.isAtBoundary()).as("after byte %d", i).isEqualTo(endOfRecord);
    }
    assertThat(strings(got)).containsExactly("héllo", "wörld");
  }

  @Test
  void randomChunkingOfManyRecords() {
    Random random = new Random(42);
    List<String> expected = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int n = 0; n < 200; n++) {
      String s = "r" + n + "é".repeat(random.nextInt(50));
      expected.add(s);
      out.writeBytes(RecordIO.encode(s.getBytes(UTF_8)));
    }
    byte[] stream = out.toByteArray();
    List<byte[]> got = new ArrayList<>();
    RecordIODecoder d = new RecordIODecoder(1024, got::add);
    int pos = 0;
    while (pos < stream.length) {
      int len = Math.min(stream.length - pos, random.nextInt(40));
      d.feed(stream, pos, len);
      pos += len;
    }
    assertThat(strings(got)).isEqualTo(expected);
  }

  @Test
  void recordsDeliveredAreIndependentCopies() {
    byte[] stream = concat(RecordIO.encode("aa".getBytes(UTF_8)), RecordIO.encode("bb".getBytes(UTF_8)));
    List<byte[]> got = new ArrayList<>();
    new RecordIODecoder(16, got::add).feed(stream);
    stream[3] = 'z';
    assertThat(strings(got)).containsExactly("aa", "bb");
  }

  @Test
  void streamEndingInsideARecordIsNotAtBoundary() {
    RecordIODecoder d = new RecordIODecoder(16, r -> {});
    d.feed("5\nab".getBytes(UTF_8));
    assertThat(d.isAtBoundary()).isFalse();
    assertThatThrownBy(() -> RecordIODecoder.decodeAll("5\nab".getBytes(UTF_8)))
        .isInstanceOf(RecordIOException.class).hasMessageContaining("inside a record");
    RecordIODecoder header = new RecordIODecoder(16, r -> {});
    header.feed("12".getBytes(UTF_8));
    assertThat(header.isAtBoundary()).isFalse();
  }

  @Test
  void zeroLengthIsRejected() {
    assertThatThrownBy(() -> RecordIODecoder.decodeAll("0\n".getBytes(UTF_8)))
        .isInstanceOf(RecordIOException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> RecordIODecoder.decodeAll("000\n".getBytes(UTF_8)))
        .isInstanceOf(RecordIOException.class).hasMessageContaining("positive");
  }

  @Test
  void badHeadersAreRejected() {
    for (String bad : List.of("\n", "x\nabc", "-3\nabc", "3 \nabc", " 3\nabc", "3\r\nabc", "+3\nabc",
        "3.0\nabc")) {
      assertThatThrownBy(() -> RecordIODecoder.decodeAll(bad.getBytes(UTF_8)))
          .as("header of %s", bad.replace("\n", "\\n").replace("\r", "\\r"))
          .isInstanceOf(RecordIOException.class);
    }
  }

  @Test
  void hugeLengthHeadersAreRecordIOErrors() {
    // 19 digits can overflow a signed 64-bit length; that is still just "too large".
    for (String header : List.of("9999999999999999999", "9223372036854775808", "9223372036854775807")) {
      RecordIODecoder d = new RecordIODecoder(1 << 20, r -> {});
      assertThatThrownBy(() -> d.feed((header + "\n{}").getBytes(UTF_8)))
          .as("header %s", header)
          .isInstanceOf(RecordIOException.class)
          .hasMessageContaining("exceeds the limit");
    }
    // More digits than any 64-bit length has are a bad header, rejected before the newline.
    RecordIODecoder d = new RecordIODecoder(1 << 20, r -> {});
    assertThatThrownBy(() -> d.feed("1".repeat(25).getBytes(UTF_8)))
        .isInstanceOf(RecordIOException.class)
        .hasMessageContaining("bad RecordIO length header");
  }

  @Test
  void oversizedRecordIsRejectedBeforeItsBytesArrive() {
    List<byte[]> got = new ArrayList<>();
    RecordIODecoder d = new RecordIODecoder(10, got::add);
    d.feed("10\n0123456789".getBytes(UTF_8));
    assertThat(got).hasSize(1);
    assertThatThrownBy(() -> d.feed("11\n".getBytes(UTF_8)))
        .isInstanceOf(RecordIOException.class)
        .hasMessageContaining("11 bytes exceeds the limit of 10");
  }

  @Test
  void decoderRefusesInputAfterAFailure() {
    List<byte[]> got = new ArrayList<>();
    RecordIODecoder d = new RecordIODecoder(10, got::add);
    assertThatThrownBy(() -> d.feed("x".getBytes(UTF_8))).isInstanceOf(RecordIOException.class);
    assertThatThrownBy(() -> d.feed("1\na".getBytes(UTF_8)))
        .isInstanceOf(RecordIOException.class).hasMessageContaining("already failed");
    assertThat(got).isEmpty();
  }

  @Test
  void recordsBeforeABadHeaderAreDelivered() {
    List<byte[]> got = new ArrayList<>();
    RecordIODecoder d = new RecordIODecoder(10, got::add);
    assertThatThrownBy(() -> d.feed("1\na2\nbcX\n".getBytes(UTF_8))).isInstanceOf(RecordIOException.class);
    assertThat(strings(got)).containsExactly("a", "bc");
  }
}
