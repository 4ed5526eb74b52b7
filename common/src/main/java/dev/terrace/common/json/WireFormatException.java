package dev.terrace.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.stream.Collectors;

/** A document that is not valid JSON or does not match the wire model; the message is for users. */
public class WireFormatException extends RuntimeException {
  public WireFormatException(String message) {
    super(message);
  }

  public WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  static WireFormatException from(Throwable e) {
    if (e instanceof WireFormatException wfe) {
      return wfe;
    }
    if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
      String path =
          jme.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      Throwable root = rootCause(jme);
      String detail = root != jme ? root.getMessage() : jme.getOriginalMessage();
      return new WireFormatException("Invalid field '" + path + "': " + firstLine(detail), e);
    }
    if (e instanceof JsonProcessingException jpe) {
      return new WireFormatException("Malformed JSON: " + firstLine(jpe.getOriginalMessage()), e);
    }
    Throwable root = rootCause(e);
    return new WireFormatException("Invalid document: " + firstLine(root.getMessage()), e);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no detail)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
