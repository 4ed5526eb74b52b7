package dev.terrace.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.terrace.common.json.Json;
import dev.terrace.common.recordio.RecordIO;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A scheduler-API master small enough to script from a test: SUBSCRIBE opens a chunked RecordIO
 * stream the test feeds through {@link Stream}; other calls are recorded and answered 202 unless a
 * reply is scripted for their type. Each SUBSCRIBE can be answered differently (for a redirect).
 */
final class FakeMaster implements AutoCloseable {
  /** A scripted answer: status and text body (and an optional Location). */
  record Reply(int status, String body, String location) {
    static Reply of(int status, String body) {
      return new Reply(status, body, null);
    }
  }

  /** A received call with the stream id it carried. */
  record Received(Call call, String streamId) {}

  /** One open SUBSCRIBE response the test writes events to. */
  static final class Stream {
    private static final byte[] END = new byte[0];
    final Call subscribe;
    final String id = UUID.randomUUID().toString();
    private final BlockingQueue<byte[]> out = new LinkedBlockingQueue<>();

    Stream(Call subscribe) {
      this.subscribe = subscribe;
    }

    Stream send(Event event) {
      out.add(RecordIO.encode(Json.toBytes(event)));
      return this;
    }

    /** Sends raw bytes, to split records across chunks. */
    Stream sendRaw(byte[] bytes) {
      out.add(bytes);
      return this;
    }

    /** Ends the response, as a master that crashed or closed the connection would. */
    void end() {
      out.add(END);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  final BlockingQueue<Stream> subscriptions = new LinkedBlockingQueue<>();
  final List<Stream> allStreams = new CopyOnWriteArrayList<>();
  final List<Received> calls = new CopyOnWriteArrayList<>();
  final Map<Call.Type, Reply> replies = new ConcurrentHashMap<>();
  /** Decides SUBSCRIBE answers; null means "open a stream". */
  volatile Function<Call, Reply> subscribeReply = call -> null;

  FakeMaster() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/api/v1/scheduler", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Call> callsOf(Call.Type type) {
    return calls.stream().map(Received::call).filter(c -> c.type() == type).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Call call = Json.parse(exchange.getRequestBody().readAllBytes(), Call.class);
      String streamId = exchange.getRequestHeaders().getFirst("Mesos-Stream-Id");
      if (call.type() == Call.Type.SUBSCRIBE) {
        Reply reply = subscribeReply.apply(call);
        if (reply != null) {
          answer(exchange, reply);
        } else {
          stream(exchange, call);
        }
        return;
      }
      calls.add(new Received(call, streamId));
      answer(exchange, replies.getOrDefault(call.type(), Reply.of(202, "")));
    }
  }

  private void stream(HttpExchange exchange, Call call) throws IOException {
    Stream stream = new Stream(call);
    exchange.getResponseHeaders().add("Mesos-Stream-Id", stream.id);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    allStreams.add(stream);
    subscriptions.add(stream);
    OutputStream body = exchange.getResponseBody();
    try {
      while (true) {
        byte[] chunk = stream.out.take();
        if (chunk == Stream.END) {
          return;
        }
        body.write(chunk);
        body.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away (for example after missed heartbeats): nothing to answer.
    }
  }

  private static void answer(HttpExchange exchange, Reply reply) throws IOException {
    if (reply.location() != null) {
      exchange.getResponseHeaders().add("Location", reply.location());
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    allStreams.forEach(Stream::end);
    server.stop(0);
    executor.shutdownNow();
  }
}
