package dev.terrace.testkit;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A JDK WebSocket client of the agent's {@code /api/v1/exec}, collecting what comes back. */
final class ExecClient implements WebSocket.Listener {
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  final StringBuilder texts = new StringBuilder();
  /** Completes with the close status and reason once the agent closes. */
  final CompletableFuture<String> closed = new CompletableFuture<>();
  private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
  private final StringBuilder text = new StringBuilder();
  WebSocket ws;

  static ExecClient connect(String agentUrl, String taskId) {
    ExecClient c = new ExecClient();
    URI uri = URI.create(agentUrl.replaceFirst("^http", "ws") + "/api/v1/exec?task_id=" + taskId);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, c).join();
    return c;
  }

  void send(String commandJson) {
    ws.sendText(commandJson, true).join();
  }

  void stdin(String s) {
    ws.sendBinary(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), true).join();
  }

  void resize(int rows, int cols) {
    send("{\"resize\":{\"rows\":" + rows + ",\"cols\":" + cols + "}}");
  }

  void eof() {
    ws.sendBinary(ByteBuffer.allocate(0), true).join();
  }

  synchronized String out() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  synchronized String err() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  synchronized String textFrames() {
    return texts.toString();
  }

  @Override
  public synchronized CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    frame.writeBytes(b);
    if (last) {
      byte[] all = frame.toByteArray();
      frame.reset();
      if (all.length > 0) {
        (all[0] == 1 ? stdout : stderr).write(all, 1, all.length - 1);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      texts.append(text).append('\n');
      text.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode + " " + reason);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
