package dev.terrace.testkit;

import dev.terrace.common.recordio.RecordIODecoder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler speaking raw HTTP, as a framework written from the Mesos documentation would: one
 * streaming SUBSCRIBE connection whose RecordIO records are queued as bytes, and plain POSTs for
 * every other call. The encoding (JSON or protobuf) is the caller's.
 */
final class RawSchedulerConnection implements AutoCloseable {
  final HttpClient http = HttpClient.newHttpClient();
  final String url;
  final String contentType;
  final BlockingQueue<byte[]> records = new LinkedBlockingQueue<>();
  String streamId;
  private InputStream body;
  private Thread reader;

  RawSchedulerConnection(String masterUrl, String contentType) {
    this.url = masterUrl + "/api/v1/scheduler";
    this.contentType = contentType;
  }

  /** Sends SUBSCRIBE and starts queueing the stream's records; returns the HTTP status. */
  int subscribe(byte[] call) throws Exception {
    HttpResponse<InputStream> resp = http.send(request(call).build(), HttpResponse.BodyHandlers.ofInputStream());
    streamId = resp.headers().firstValue("Mesos-Stream-Id").orElse(null);
    body = resp.body();
    if (resp.statusCode() != 200) {
      return resp.statusCode();
    }
    RecordIODecoder decoder = new RecordIODecoder(16 << 20, records::add);
    reader = new Thread(() -> {
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = body.read(buf)) > 0; ) {
          decoder.feed(buf, 0, n);
        }
      } catch (Exception e) {
        // stream closed
      }
    }, "raw-scheduler-stream");
    reader.setDaemon(true);
    reader.start();
    return 200;
  }

  byte[] next() throws InterruptedException {
    byte[] r = records.poll(30, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no event within 30 s");
    }
    return r;
  }

  HttpResponse<String> post(byte[] call) throws Exception {
    HttpRequest.Builder b = request(call);
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(byte[] call) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .header("Accept", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(call));
  }

  @Override
  public void close() throws Exception {
    if (body != null) {
      body.close();
    }
  }
}
