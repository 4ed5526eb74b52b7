package dev.terrace.cli.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.recordio.RecordIO;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A scripted scheduler-API master for {@code terrace run}: SUBSCRIBE gets SUBSCRIBED plus the
 * configured offers; every other call is recorded and answered 202, and ACCEPTs are handed to
 * {@link #onAccept} so a test can play the agent's status updates through {@link #send}.
 */
final class FakeSchedulerMaster implements AutoCloseable {
  static final FrameworkId FRAMEWORK = FrameworkId.of("F1");
  private static final byte[] END = new byte[0];

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<byte[]> stream = new LinkedBlockingQueue<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  volatile List<Offer> offers = List.of();
  volatile Consumer<Call> onAccept = call -> {};

  FakeSchedulerMaster() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/api/v1/scheduler", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Call> callsOf(Call.Type type) {
    return calls.stream().filter(c -> c.type() == type).toList();
  }

  void send(Event event) {
    stream.add(RecordIO.encode(Json.toBytes(event)));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Call call = Json.parse(exchange.getRequestBody().readAllBytes(), Call.class);
      if (call.type() == Call.Type.SUBSCRIBE) {
        subscribe(exchange);
        return;
      }
      calls.add(call);
      exchange.sendResponseHeaders(202, -1);
      if (call.type() == Call.Type.ACCEPT) {
        onAccept.accept(call);
      } else if (call.type() == Call.Type.TEARDOWN) {
        stream.add(END);
      }
    }
  }

  private void subscribe(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Mesos-Stream-Id", "stream-1");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    body.write(RecordIO.encode(Json.toBytes(Event.subscribed(FRAMEWORK, 15,
        new MasterInfo("m1", null, server.getAddress().getPort(), null, "127.0.0.1", "0", null)))));
    if (!offers.isEmpty()) {
      body.write(RecordIO.encode(Json.toBytes(Event.offers(offers))));
    }
    body.flush();
    try {
      for (byte[] chunk = stream.take(); chunk != END; chunk = stream.take()) {
        body.write(chunk);
        body.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client left.
    }
  }

  @Override
  public void close() {
    stream.add(END);
    server.stop(0);
    executor.shutdownNow();
  }
}
