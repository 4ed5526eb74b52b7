package dev.terrace.common.recordio;

public class RecordIOException extends RuntimeException {
  public RecordIOException(String message) {
    super(message);
  }
}
