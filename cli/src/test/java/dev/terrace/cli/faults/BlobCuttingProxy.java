package dev.terrace.cli.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy on loopback in front of a registry, that can make the registry "die" in the
 * middle of a pull: while cutting, every blob download gets its headers (with the full length)
 * and half of its bytes, then the connection is dropped, as when a registry process goes away
 * mid-transfer. Manifests and the API root still pass, so a pull starts and fails in its blobs.
 */
final class BlobCuttingProxy implements AutoCloseable {
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Docker-Content-Digest",
      "Docker-Distribution-Api-Version", "Location", "Accept-Ranges", "Www-Authenticate");

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String upstream;
  private final HttpServer server;
  private final AtomicBoolean cutting = new AtomicBoolean();
  private final AtomicInteger cut = new AtomicInteger();

  /** Proxies to {@code upstream} ({@code host:port}, plain HTTP). */
  BlobCuttingProxy(String upstream) throws IOException {
    this.upstream = upstream;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::forward);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** {@code 127.0.0.1:PORT}, to name images by. */
  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  void cutting(boolean on) {
    cutting.set(on);
  }

  /** How many blob downloads were cut short. */
  int cutDownloads() {
    return cut.get();
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + upstream + ex.getRequestURI()))
          .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
      for (String h : List.of("Accept", "Range")) {
        for (String v : ex.getRequestHeaders().getOrDefault(h, List.of())) {
          req.header(h, v);
        }
      }
      HttpResponse<byte[]> r;
      try {
        r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      for (String h : RESPONSE_HEADERS) {
        r.headers().allValues(h).forEach(v -> ex.getResponseHeaders().add(h, v));
      }
      byte[] body = r.body();
      if (ex.getRequestMethod().equals("HEAD") || body.length == 0) {
        r.headers().firstValue("Content-Length").ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
        ex.sendResponseHeaders(r.statusCode(), -1);
        return;
      }
      ex.sendResponseHeaders(r.statusCode(), body.length);
      OutputStream out = ex.getResponseBody();
      boolean blob = ex.getRequestURI().getPath().contains("/blobs/") && r.statusCode() / 100 == 2;
      if (blob && cutting.get()) {
        cut.incrementAndGet();
        out.write(body, 0, body.length / 2);
        out.flush();
        // Short of the announced length: the server closes the connection, the client sees EOF.
        return;
      }
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
