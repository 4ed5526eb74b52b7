package dev.terrace.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.terrace.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An agent's {@code /files/read} over in-memory files that tests append to, with Mesos' answers:
 * 404 for a missing file, {@code offset=-1} for the size, at most {@code maxLength} bytes per read.
 */
final class FakeAgentFiles implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, ByteArrayOutputStream> files = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  volatile int maxLength = Integer.MAX_VALUE;

  FakeAgentFiles() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/files/read", this::read);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void append(String path, String text) {
    ByteArrayOutputStream file = files.computeIfAbsent(path, p -> new ByteArrayOutputStream());
    synchronized (file) {
      file.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private void read(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.add(exchange.getRequestURI().getRawQuery());
      Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
      ByteArrayOutputStream file = files.get(q.get("path"));
      if (file == null) {
        byte[] body = "No such file".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      byte[] content;
      synchronized (file) {
        content = file.toByteArray();
      }
      long offset = Long.parseLong(q.get("offset"));
      ObjectNode json = Json.mapper().createObjectNode();
      if (offset == -1) {
        json.put("offset", content.length).put("data", "");
      } else {
        int start = (int) Math.min(offset, content.length);
        long length = Math.min(Long.parseLong(q.getOrDefault("length", "-1")) < 0
            ? Long.MAX_VALUE : Long.parseLong(q.get("length")), maxLength);
        int end = (int) Math.min(content.length, start + length);
        json.put("offset", offset).put("data", new String(content, start, end - start, StandardCharsets.UTF_8));
      }
      byte[] body = Json.toBytes(json);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
