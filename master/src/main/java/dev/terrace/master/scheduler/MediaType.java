package dev.terrace.master.scheduler;

import dev.terrace.common.json.Json;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.protobuf.MesosProtobuf;

/**
 * The two encodings of the scheduler API. Mesos compares content types exactly; Terrace also
 * accepts parameters (`application/json; charset=utf-8`). Events go out in the encoding the
 * `Accept` header asks for, by default the request's.
 */
enum MediaType {
  JSON("application/json") {
    @Override
    Call decodeCall(byte[] body) {
      return Json.parse(body, Call.class);
    }

    @Override
    byte[] encodeEvent(Event event) {
      return Json.toBytes(event);
    }
  },
  PROTOBUF("application/x-protobuf") {
    @Override
    Call decodeCall(byte[] body) {
      return MesosProtobuf.parseCall(body);
    }

    @Override
    byte[] encodeEvent(Event event) {
      return MesosProtobuf.encodeEvent(event);
    }
  };

  final String mime;

  MediaType(String mime) {
    this.mime = mime;
  }

  abstract Call decodeCall(byte[] body);

  abstract byte[] encodeEvent(Event event);

  /** The request's type, or null when it is neither. */
  static MediaType of(String contentType) {
    if (contentType == null) {
      return null;
    }
    String base = contentType.split(";")[0].trim();
    for (MediaType t : values()) {
      if (t.mime.equalsIgnoreCase(base)) {
        return t;
      }
    }
    return null;
  }

  /** What to answer in: the first acceptable of the request's type, JSON, protobuf; or null. */
  static MediaType accepted(String accept, MediaType requestType) {
    if (accept == null || accept.isBlank()) {
      return requestType;
    }
    String a = accept.toLowerCase(java.util.Locale.ROOT);
    boolean any = a.contains("*/*") || a.contains("application/*");
    if (any || a.contains(requestType.mime) || (requestType == JSON && a.contains("application/recordio"))) {
      return a.contains(requestType.mime) || any ? requestType : JSON;
    }
    for (MediaType t : values()) {
      if (a.contains(t.mime)) {
        return t;
      }
    }
    return null;
  }
}
