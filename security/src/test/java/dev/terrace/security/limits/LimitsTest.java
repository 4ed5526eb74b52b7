package dev.terrace.security.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aTokenBucketRefillsAtItsRate() {
    TokenBucket b = new TokenBucket(2, 3, 0);
    assertThat(b.tryTake(0)).isTrue();
    assertThat(b.tryTake(0)).isTrue();
    assertThat(b.tryTake(0)).isTrue();
    assertThat(b.tryTake(0)).isFalse();
    assertThat(b.secondsUntilNext(0)).isEqualTo(1);
    assertThat(b.tryTake(500_000_000L)).isTrue(); // half a second at 2/s is one token
    assertThat(b.tryTake(500_000_000L)).isFalse();
    assertThat(b.isFull(10_000_000_000L)).isTrue();
  }

  private int port(Router router) {
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  private HttpResponse<String> get(int port) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callersPastTheirRateGet429WithRetryAfter() throws Exception {
    AtomicLong now = new AtomicLong();
    Router router = Router.router(vertx);
    router.get("/x").handler(new RateLimitHandler(1, 2, now::get)).handler(ctx -> ctx.response().end("ok"));
    int port = port(router);
    assertThat(get(port).statusCode()).isEqualTo(200);
    assertThat(get(port).statusCode()).isEqualTo(200);
    HttpResponse<String> limited = get(port);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    assertThat(limited.body()).contains("at most 1.0 per second");
    now.addAndGet(1_000_000_000L);
    assertThat(get(port).statusCode()).isEqualTo(200);
  }

  @Test
  void openStreamsPastTheCapGet429AndClosedOnesFreeTheirSlot() throws Exception {
    InFlightLimit limit = new InFlightLimit("test streams", 2);
    Router router = Router.router(vertx);
    // A stream that never ends by itself, and that sets its own close handler as SUBSCRIBE does.
    router.get("/x").handler(limit).handler(ctx -> {
      ctx.response().setChunked(true).write("open\n");
      ctx.response().closeHandler(v -> { });
    });
    int port = port(router);
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build();
    HttpClient c1 = HttpClient.newHttpClient();
    HttpClient c2 = HttpClient.newHttpClient();
    InputStream s1 = c1.send(req, HttpResponse.BodyHandlers.ofInputStream()).body();
    InputStream s2 = c2.send(req, HttpResponse.BodyHandlers.ofInputStream()).body();
    s1.read();
    s2.read();
    HttpResponse<String> third = get(port);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.body()).isEqualTo("Too many open test streams (at most 2); retry later");
    s1.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> limit.open() == 1);
    s2.close();
  }
}
