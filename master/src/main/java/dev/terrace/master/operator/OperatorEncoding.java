package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.protobuf.MesosProtobuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The operator API's two encodings, as the scheduler API's: JSON, and protobuf wire-compatible with
 * Mesos' v1 {@code master.proto} (through the protobuf JSON mapping of Apache Mesos' generated
 * classes, so the hand-built JSON answers are the one source of truth for both).
 */
enum OperatorEncoding {
  JSON("application/json"),
  PROTOBUF("application/x-protobuf");

  final String mime;

  OperatorEncoding(String mime) {
    this.mime = mime;
  }

  /** The request body's encoding by Content-Type (parameters ignored), or null for neither. */
  static OperatorEncoding ofContentType(String contentType) {
    if (contentType == null) {
      return null;
    }
    String base = contentType.split(";")[0].trim();
    for (OperatorEncoding e : values()) {
      if (e.mime.equalsIgnoreCase(base)) {
        return e;
      }
    }
    return null;
  }

  /** What to answer in, from Accept (default: the request's encoding); null if nothing fits (406). */
  static OperatorEncoding accepted(String accept, OperatorEncoding request) {
    if (accept == null || accept.isBlank()) {
      return request;
    }
    String a = accept.toLowerCase(Locale.ROOT);
    if (a.contains(request.mime) || a.contains("*/*") || a.contains("application/*")) {
      return request;
    }
    for (OperatorEncoding e : values()) {
      if (a.contains(e.mime)) {
        return e;
      }
    }
    return null;
  }

  /** The call, as JSON whatever it came in. */
  JsonNode decodeCall(byte[] body) {
    byte[] json = this == JSON ? body
        : MesosProtobuf.operatorCallToJson(body).getBytes(StandardCharsets.UTF_8);
    return Json.parse(json, JsonNode.class);
  }

  byte[] encodeResponse(JsonNode response) {
    return this == JSON ? Json.toBytes(response)
        : MesosProtobuf.operatorResponseFromJson(response.toString());
  }

  byte[] encodeEvent(JsonNode event) {
    // Json.toBytes, not toString(): JsonNode.toString() of a 100,000-task snapshot took seconds.
    return this == JSON ? Json.toBytes(event)
        : MesosProtobuf.operatorEventFromJson(event.toString());
  }
}
