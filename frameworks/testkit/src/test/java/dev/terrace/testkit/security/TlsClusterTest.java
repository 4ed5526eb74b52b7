package dev.terrace.testkit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.auth.AgentSecurity;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.master.auth.MasterSecurity;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.security.tls.TlsConfig;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import dev.terrace.testkit.RecordingScheduler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the master, the agent and the agent channel, with certificates made for the test by the
 * openssl CLI: clients that trust the cluster's CA get in (the SDK, agents over wss), others and
 * plain HTTP do not; with client certificates required, only holders of a CA-signed one do.
 */
class TlsClusterTest {
  @TempDir
  Path dir;
  private InProcessCluster cluster;
  private SchedulerClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> get(SSLContext ssl, String url) throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b.build().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void masterAgentChannelAndSdkSpeakTlsTrustingTheClusterCa() throws Exception {
    TestCertificates ca = TestCertificates.newCa(dir.resolve("ca"), "terrace-test-ca");
    Path[] server = ca.issue("server", true);
    TlsConfig serve = new TlsConfig(server[0], server[1], null, false);
    cluster = InProcessCluster.builder().workDir(dir.resolve("cluster"))
        .containerizer(Containerizers.hostProcesses())
        .masterConfig(b -> b.security(new MasterSecurity(null, null, serve, false)))
        .agentSecurity(new AgentSecurity(null, TlsConfig.trusting(ca.caCert), null, null, serve))
        .start();
    String master = cluster.awaitLeader().url();
    assertThat(master).startsWith("https://");

    // The SDK finds the master through ZooKeeper and talks https; offers mean the agent
    // registered over its wss channel.
    RecordingScheduler scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("nobody", "tls-test"), scheduler)
        .trustCertificates(ca.caCert).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());

    SSLContext trusting = TestCertificates.clientContext(null, ca.caCert);
    assertThat(get(trusting, master + "/master/state").statusCode()).isEqualTo(200);
    int agentPort = cluster.agents().get(0).port();
    assertThat(get(trusting, "https://127.0.0.1:" + agentPort + "/health").statusCode()).isEqualTo(200);

    // The master reaches the agent's files over https too (/master/task-log).
    var offer = scheduler.latestOffer().orElseThrow();
    var id = dev.terrace.common.model.TaskId.of("tls-" + java.util.UUID.randomUUID());
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    client.launch(offer, java.util.List.of(dev.terrace.common.model.TaskInfo.command(id.value(), id,
        offer.agentId(), java.util.List.of(
            dev.terrace.common.model.Resource.scalar("cpus", 0.1).withAllocationRole(role),
            dev.terrace.common.model.Resource.scalar("mem", 32).withAllocationRole(role)),
        dev.terrace.common.model.CommandInfo.shell("echo over-tls")))).join();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(get(trusting, master + "/master/task-log?task_id=" + id.value()).body()).contains("over-tls"));

    // The JDK's own CAs do not know ours; plain HTTP to a TLS port gets no answer.
    assertThatThrownBy(() -> get(null, master + "/master/state")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(null, master.replace("https://", "http://") + "/master/state"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void requiredClientCertificatesKeepOutClientsWithoutOne() throws Exception {
    TestCertificates ca = TestCertificates.newCa(dir.resolve("ca"), "terrace-test-ca");
    TestCertificates other = TestCertificates.newCa(dir.resolve("other"), "someone-elses-ca");
    Path[] server = ca.issue("server", true);
    Path[] agentCert = ca.issue("agent", false);
    Path[] stranger = other.issue("stranger", false);
    TlsConfig serve = new TlsConfig(server[0], server[1], ca.caCert, true);
    cluster = InProcessCluster.builder().workDir(dir.resolve("cluster"))
        .containerizer(Containerizers.hostProcesses())
        .masterConfig(b -> b.security(new MasterSecurity(null, null, serve, false)))
        .agentSecurity(new AgentSecurity(null, new TlsConfig(agentCert[0], agentCert[1], ca.caCert, false),
            null, null, null))
        .start();
    String master = cluster.awaitLeader().url();

    SSLContext withCert = TestCertificates.clientContext(agentCert, ca.caCert);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(get(withCert, master + "/master/slaves").body()).contains("\"hostname\""));
    assertThatThrownBy(() -> get(TestCertificates.clientContext(null, ca.caCert), master + "/health"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(TestCertificates.clientContext(stranger, ca.caCert), master + "/health"))
        .isInstanceOf(IOException.class);
  }
}
