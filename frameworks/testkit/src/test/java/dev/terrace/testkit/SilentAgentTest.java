package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.Resource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent whose connection stays open but which never answers the master's pings (a frozen host,
 * a one-way partition) is marked unreachable after the ping budget. The "agent" here is a raw
 * socket that performs the WebSocket handshake, registers, and then ignores every frame.
 */
class SilentAgentTest {

  @Test
  void agentThatStopsAnsweringPingsIsUnreachable() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().agents(0)
        .containerizer(Containerizers.hostProcesses())
        .masterConfig(b -> b.agentPingTimeout(Duration.ofMillis(200)).maxAgentPingTimeouts(3))
        .start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.leader().isPresent());
      int port = cluster.leader().orElseThrow().port();
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(16));
        out.write(("GET /api/v1/agent HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        assertThat(readHeaders(in)).startsWith("HTTP/1.1 101");
        AgentInfo info = new AgentInfo("silent-host", 5051,
            List.of(Resource.scalar("cpus", 1), Resource.scalar("mem", 256)), null, null);
        writeMaskedText(out, Json.toString(new AgentMessage.Register(info, "test", null, null)));

        await().atMost(Duration.ofSeconds(10)).until(() -> state(cluster).path("slaves").size() == 1);
        // From here on the socket is never read again, so no pong is ever sent.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          JsonNode s = state(cluster);
          assertThat(s.path("unreachable_slaves").asInt()).isEqualTo(1);
          assertThat(s.path("slaves")).isEmpty();
        });
      }
    }
  }

  private static JsonNode state(InProcessCluster cluster) throws Exception {
    return Json.mapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(cluster.leader().orElseThrow().url() + "/master/state")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private static String readHeaders(InputStream in) throws Exception {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  /** One masked text frame, as RFC 6455 requires of clients. */
  private static void writeMaskedText(OutputStream out, String text) throws Exception {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new SecureRandom().generateSeed(4);
    out.write(0x81);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write((payload.length >> 8) & 0xff);
      out.write(payload.length & 0xff);
    }
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }
}
