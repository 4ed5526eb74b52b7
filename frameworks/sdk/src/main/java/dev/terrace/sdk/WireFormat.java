package dev.terrace.sdk;

import dev.terrace.common.json.Json;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.protobuf.MesosProtobuf;

/**
 * How the client speaks to the master: Mesos v1 JSON (the default), or protobuf
 * ({@code application/x-protobuf}, as mesos-go and mesos-rxjava do). The scheduler sees the same
 * typed calls and events either way.
 */
public enum WireFormat {
  JSON("application/json") {
    @Override
    byte[] encode(Call call) {
      return Json.toBytes(call);
    }

    @Override
    Event decode(byte[] record) {
      return Json.parse(record, Event.class);
    }
  },
  PROTOBUF("application/x-protobuf") {
    @Override
    byte[] encode(Call call) {
      return MesosProtobuf.encodeCall(call);
    }

    @Override
    Event decode(byte[] record) {
      return MesosProtobuf.parseEvent(record);
    }
  };

  final String mime;

  WireFormat(String mime) {
    this.mime = mime;
  }

  abstract byte[] encode(Call call);

  /** One RecordIO record of the event stream; malformed is a WireFormatException. */
  abstract Event decode(byte[] record);
}
