package dev.terrace.agent.fetcher;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on an ephemeral port serving bytes by path and counting requests. */
public final class FileServer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  public final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final HttpServer server;

  public FileServer() {
    server = vertx.createHttpServer().requestHandler(req -> {
      requests.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
      byte[] body = files.get(req.path());
      if (body == null) {
        req.response().setStatusCode(404).end("no such file");
      } else {
        req.response().end(Buffer.buffer(body));
      }
    }).listen(0, "127.0.0.1").await();
  }

  public FileServer serve(String path, byte[] body) {
    files.put(path, body);
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public int count(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
