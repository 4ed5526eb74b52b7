package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.master.MasterServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two masters contend through ZooKeeper: one leads, and the standby sends every API call to it
 * with {@code 307 Temporary Redirect} and Mesos' scheme-relative {@code Location}.
 */
class StandbyRedirectTest {
  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private InProcessCluster cluster;
  private MasterServer leader;
  private MasterServer standby;

  @BeforeEach
  void start() throws Exception {
    cluster = InProcessCluster.builder().masters(2).agents(0)
        .containerizer(Containerizers.hostProcesses()).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader().isPresent());
    List<MasterServer> masters = cluster.masters();
    assertThat(masters).hasSize(2);
    assertThat(masters.stream().filter(MasterServer::isLeader)).hasSize(1);
    leader = cluster.leader().orElseThrow();
    standby = masters.stream().filter(m -> m != leader).findFirst().orElseThrow();
    assertThat(standby.isLeader()).isFalse();
    // The standby learns the leader through its detector: wait until it redirects at all.
    await().atMost(Duration.ofSeconds(30)).until(() -> get(standby, "/master/state").statusCode() == 307);
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** {@code //host:port} of the leader, the form Mesos puts in Location. */
  private String leaderAuthority() {
    return "//" + URI.create(leader.url()).getAuthority();
  }

  private HttpResponse<String> get(MasterServer m, String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(m.url() + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(MasterServer m, String pathAndQuery, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(m.url() + pathAndQuery))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void exactlyOneMasterLeads() {
    assertThat(cluster.masters().stream().filter(MasterServer::isLeader)).containsExactly(leader);
    assertThat(leader.url()).isNotEqualTo(standby.url());
  }

  @Test
  void standbyRedirectsSchedulerCallsToTheLeader() throws Exception {
    String subscribe = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
        + "{\"user\":\"u\",\"name\":\"n\"}}}";
    HttpResponse<String> r = post(standby, "/api/v1/scheduler", subscribe);
    assertThat(r.statusCode()).isEqualTo(307);
    assertThat(r.headers().firstValue("Location")).hasValue(leaderAuthority() + "/api/v1/scheduler");

    HttpResponse<String> withQuery = post(standby, "/api/v1/scheduler?a=1&b=two", subscribe);
    assertThat(withQuery.statusCode()).isEqualTo(307);
    assertThat(withQuery.headers().firstValue("Location"))
        .hasValue(leaderAuthority() + "/api/v1/scheduler?a=1&b=two");
  }

  @Test
  void standbyRedirectsStateToTheLeaderAndTheLocationWorks() throws Exception {
    HttpResponse<String> r = get(standby, "/master/state?jsonp=cb");
    assertThat(r.statusCode()).isEqualTo(307);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).isEqualTo(leaderAuthority() + "/master/state?jsonp=cb");

    HttpResponse<String> followed = http.send(HttpRequest.newBuilder(URI.create("http:" + location))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(followed.statusCode()).isEqualTo(200);
    assertThat(followed.body()).contains("\"leader\"");
  }

  @Test
  void leaderServesStateItself() throws Exception {
    assertThat(get(leader, "/master/state").statusCode()).isEqualTo(200);
  }

  @Test
  void masterRedirectOnEitherMasterPointsAtTheLeader() throws Exception {
    for (MasterServer m : List.of(leader, standby)) {
      HttpResponse<String> r = get(m, "/master/redirect");
      assertThat(r.statusCode()).as(m.url()).isEqualTo(307);
      assertThat(r.headers().firstValue("Location")).as(m.url()).hasValue(leaderAuthority());
    }
  }

  @Test
  void healthIsOkOnBothMasters() throws Exception {
    assertThat(get(leader, "/health").statusCode()).isEqualTo(200);
    assertThat(get(standby, "/health").statusCode()).isEqualTo(200);
  }
}
