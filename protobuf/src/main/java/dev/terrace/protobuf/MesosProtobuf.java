package dev.terrace.protobuf;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import org.apache.mesos.v1.scheduler.Protos;

/**
 * The Mesos v1 protobuf wire format (`application/x-protobuf`), kept at the edge: protobuf bytes
 * are turned into the protobuf JSON mapping and read as Terrace's records, and the other way
 * round. The two JSON forms are the same by construction (Terrace's records follow the proto
 * field names), so one model serves both encodings. The schema is Apache Mesos' own generated
 * v1 classes, so field numbers cannot drift from what mesos-go or mesos-rxjava send.
 */
public final class MesosProtobuf {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private MesosProtobuf() {}

  /** A scheduler call in protobuf, as a record; malformed input is a {@link WireFormatException}. */
  public static Call parseCall(byte[] protobuf) {
    Protos.Call proto;
    try {
      proto = Protos.Call.parseFrom(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException("Malformed protobuf Call: " + e.getMessage(), e);
    }
    return Json.parse(print(proto), Call.class);
  }

  public static byte[] encodeCall(Call call) {
    return encode(Json.toString(call), Protos.Call.newBuilder());
  }

  public static byte[] encodeEvent(Event event) {
    return encode(Json.toString(event), Protos.Event.newBuilder());
  }

  public static Event parseEvent(byte[] protobuf) {
    try {
      return Json.parse(print(Protos.Event.parseFrom(protobuf)), Event.class);
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException("Malformed protobuf Event: " + e.getMessage(), e);
    }
  }

  /**
   * An operator API call (v1 {@code master.proto} {@code Call}) in protobuf, as its JSON mapping;
   * malformed input is a {@link WireFormatException}.
   */
  public static String operatorCallToJson(byte[] protobuf) {
    try {
      return print(org.apache.mesos.v1.master.Protos.Call.parseFrom(protobuf));
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException("Malformed protobuf Call: " + e.getMessage(), e);
    }
  }

  /** An operator call's JSON as protobuf (for clients and tests). */
  public static byte[] operatorCallFromJson(String json) {
    return encode(json, org.apache.mesos.v1.master.Protos.Call.newBuilder());
  }

  /** An operator API {@code Response} in its JSON mapping, as protobuf. */
  public static byte[] operatorResponseFromJson(String json) {
    return encode(json, org.apache.mesos.v1.master.Protos.Response.newBuilder());
  }

  /** An operator API {@code Event} (of SUBSCRIBE) in its JSON mapping, as protobuf. */
  public static byte[] operatorEventFromJson(String json) {
    return encode(json, org.apache.mesos.v1.master.Protos.Event.newBuilder());
  }

  /** A protobuf operator {@code Response} as JSON (for clients and tests). */
  public static String operatorResponseToJson(byte[] protobuf) {
    try {
      return print(org.apache.mesos.v1.master.Protos.Response.parseFrom(protobuf));
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException("Malformed protobuf Response: " + e.getMessage(), e);
    }
  }

  private static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException("Cannot map protobuf to JSON: " + e.getMessage(), e);
    }
  }

  private static byte[] encode(String json, Message.Builder builder) {
    try {
      PARSER.merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException("Cannot map JSON to protobuf: " + e.getMessage(), e);
    }
    // buildPartial: proto2 'required' fields are the sender's business; Terrace fills them, and
    // a missing one should surface in the client's parser, not as a master failure.
    return builder.buildPartial().toByteArray();
  }
}
