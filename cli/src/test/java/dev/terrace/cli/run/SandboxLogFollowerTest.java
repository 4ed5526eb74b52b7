package dev.terrace.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxLogFollowerTest {
  private static final String PATH =
      SandboxLogFollower.sandboxPath(FrameworkId.of("F1"), TaskId.of("run-1"), "stdout");

  private final HttpClient http = HttpClient.newHttpClient();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private FakeAgentFiles agent;
  private SandboxLogFollower follower;

  @BeforeEach
  void setUp() throws IOException {
    agent = new FakeAgentFiles();
    follower = new SandboxLogFollower(http, agent.url(), PATH, out);
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  private String copied() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sandboxPathFollowsTheCommandTaskLayout() {
    assertThat(PATH).isEqualTo("/frameworks/F1/executors/run-1/runs/latest/stdout");
  }

  @Test
  void missingFileCountsAsNothingYet() throws Exception {
    assertThat(follower.poll()).isZero();
    assertThat(copied()).isEmpty();
    assertThat(agent.requests).singleElement().asString()
        .contains("path=%2Fframeworks%2FF1%2Fexecutors%2Frun-1%2Fruns%2Flatest%2Fstdout", "offset=0");
  }

  @Test
  void followsTheFileFromWhereItLeftOff() throws Exception {
    agent.append(PATH, "hello\n");
    assertThat(follower.poll()).isEqualTo(6);

    assertThat(follower.poll()).isZero();
    agent.append(PATH, "wörld\n");
    follower.poll();

    assertThat(copied()).isEqualTo("hello\nwörld\n");
    // Offsets are bytes: "ö" is two of them.
    assertThat(follower.offset()).isEqualTo(13);
    assertThat(agent.requests.get(agent.requests.size() - 1)).contains("offset=6");
  }

  @Test
  void drainReadsPastShortAnswersToTheEnd() throws Exception {
    agent.maxLength = 4; // an agent that caps reads below what we ask for
    agent.append(PATH, "0123456789abcdef");

    follower.drain();

    assertThat(copied()).isEqualTo("0123456789abcdef");
    assertThat(follower.offset()).isEqualTo(16);
  }

  @Test
  void largeFileIsReadInChunks() throws Exception {
    String big = "x".repeat(SandboxLogFollower.CHUNK * 2 + 10);
    agent.append(PATH, big);

    assertThat(follower.poll()).isEqualTo(big.length());

    assertThat(copied()).isEqualTo(big);
    assertThat(agent.requests).hasSize(3);
  }

  @Test
  void unreachableAgentIsAnIoError() {
    SandboxLogFollower nowhere = new SandboxLogFollower(http, URI.create("http://127.0.0.1:1"), PATH, out);

    assertThatThrownBy(nowhere::poll).isInstanceOf(IOException.class);
  }
}
