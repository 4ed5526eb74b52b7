package dev.terrace.master.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real Vert.x HTTP server behind a limit of two connections, driven over raw sockets. */
class ConnectionLimitTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static String get(Socket s) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] buf = new byte[64];
    InputStream in = s.getInputStream();
    int n = in.read(buf);
    return n < 0 ? "closed" : new String(buf, 0, n, StandardCharsets.US_ASCII);
  }

  @Test
  void connectionsPastTheLimitAreClosedAndFreedSlotsAreReused() throws Exception {
    ConnectionLimit limit = new ConnectionLimit(2);
    HttpServer server = vertx.createHttpServer().connectionHandler(limit::accept)
        .requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1").await();
    int port = server.actualPort();
    try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
      a.setSoTimeout(5000);
      b.setSoTimeout(5000);
      assertThat(get(a)).startsWith("HTTP/1.1 200");
      assertThat(get(b)).startsWith("HTTP/1.1 200");
      try (Socket c = new Socket("127.0.0.1", port)) {
        c.setSoTimeout(5000);
        String answer;
        try {
          answer = get(c);
        } catch (java.io.IOException e) {
          answer = "closed";
        }
        assertThat(answer).isEqualTo("closed");
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> limit.open() == 0);
    try (Socket d = new Socket("127.0.0.1", port)) {
      d.setSoTimeout(5000);
      assertThat(get(d)).startsWith("HTTP/1.1 200");
    }
  }
}
