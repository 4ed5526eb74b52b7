package dev.terrace.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.containerizer.ContainerException;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.LaunchedContainer;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.runtime.Binaries;
import dev.terrace.common.model.NetworkInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real containers on the default bridge network through the real CNI plugins (bridge, host-local,
 * portmap), with the plugins acting in a namespace the test made as the "host": the container gets
 * an address and its generated /etc files, is reachable at it and through its mapped host port, and
 * nothing of its network (namespace, veth, IP lease, iptables rules, checkpoint) outlives it,
 * neither after a destroy nor after an agent crash and the next start's orphan sweep.
 */
@Tag("linux")
class BridgeNetworkLinuxTest {
  private HostNamespace host;
  private Path workDir;
  private OciContainerizerConfig config;
  private OciContainerizer containerizer;
  private String subnetPrefix;
  private String bridge;
  private final List<String> launched = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    Assumptions.assumeTrue(Binaries.find("conmon").isPresent(), "conmon missing");
    Assumptions.assumeTrue(Files.isExecutable(NetworkSettings.DEBIAN_PLUGIN_DIR.resolve("bridge")),
        "containernetworking-plugins missing");
    host = new HostNamespace();
    workDir = Files.createTempDirectory("terrace-bridge");
    // Inside the test's own namespace, so any subnet is safe; random to show none is assumed.
    subnetPrefix = "10." + ThreadLocalRandom.current().nextInt(1, 250) + "."
        + ThreadLocalRandom.current().nextInt(1, 250);
    bridge = "tb" + UUID.randomUUID().toString().substring(0, 8);
    config = OciContainerizerConfig.defaults(workDir)
        .withRuntimeRoot(workDir.resolve("runtime-state"))
        .withNetwork(NetworkSettings.defaults(workDir)
            .withDefaultNetwork(subnetPrefix + ".0/24", bridge)
            .withPluginNetns(host.path()));
    containerizer = OciContainerizer.create(config);
  }

  @AfterEach
  void tearDown() throws IOException {
    if (containerizer != null) {
      launched.forEach(containerizer::destroy);
      containerizer.close();
    }
    if (host != null) {
      host.close();
    }
    if (workDir != null) {
      ContainerDirs.deleteUnlessMounted(workDir);
    }
  }

  private ContainerLaunch server(String id, int hostPort) throws IOException {
    Path sandbox = Files.createDirectories(workDir.resolve("sandboxes").resolve(id));
    launched.add(id);
    String script = "echo served-by-" + id + " > index.html; cat /etc/hosts > hosts.txt;"
        + " cat /etc/hostname > hostname.txt; exec busybox httpd -f -p 8080 -h /mnt/mesos/sandbox";
    return new ContainerLaunch(id, sandbox, List.of("/bin/sh", "-c", script),
        Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), 0.2, 64L << 20, "web-" + id.substring(0, 6),
        null, false, new NetworkRequest(NetworkSettings.DEFAULT_NETWORK,
            List.of(new PortMapping(hostPort, 8080, "tcp"))));
  }

  private String fetch(String address) {
    try {
      // timeout(1), not wget -T: Debian's static busybox 1.35 crashes on -T.
      return host.exec("timeout", "5", "busybox", "wget", "-q", "-O", "-",
          "http://" + address + "/index.html").strip();
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void aBridgeContainerIsReachableAtItsAddressAndMappedPortAndLeavesNothingBehind() throws Exception {
    String id = "br-" + UUID.randomUUID().toString().substring(0, 8);
    int hostPort = 31000 + ThreadLocalRandom.current().nextInt(1000);
    List<dev.terrace.agent.containerizer.LaunchObserver.Step> steps =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    containerizer.observe((step, nanos) -> steps.add(step));
    LaunchedContainer c;
    try {
      c = containerizer.launch(server(id, hostPort));
    } finally {
      containerizer.observe(dev.terrace.agent.containerizer.LaunchObserver.NONE);
    }
    // Joining the network is a step of its own in the launch's timings (agent metrics).
    assertThat(steps).startsWith(dev.terrace.agent.containerizer.LaunchObserver.Step.NETWORK,
        dev.terrace.agent.containerizer.LaunchObserver.Step.ROOTFS);

    assertThat(c.networkInfos()).hasSize(1);
    NetworkInfo info = c.networkInfos().get(0);
    assertThat(info.name()).isEqualTo(NetworkSettings.DEFAULT_NETWORK);
    String ip = info.ipAddresses().get(0).ipAddress();
    assertThat(ip).startsWith(subnetPrefix + ".");
    assertThat(info.portMappings()).containsExactly(new NetworkInfo.PortMapping(hostPort, 8080, "tcp"));

    // At its own address, and at the host's (the bridge's gateway address) through the mapping.
    await().atMost(Duration.ofSeconds(30)).until(() -> fetch(ip + ":8080").equals("served-by-" + id));
    assertThat(fetch(subnetPrefix + ".1:" + hostPort)).isEqualTo("served-by-" + id);
    Path sandbox = workDir.resolve("sandboxes").resolve(id);
    assertThat(Files.readString(sandbox.resolve("hosts.txt"))).contains(ip + "\tweb-" + id.substring(0, 6));
    assertThat(Files.readString(sandbox.resolve("hostname.txt")).strip()).isEqualTo("web-" + id.substring(0, 6));

    containerizer.destroy(id);
    assertReleased(id, ip, hostPort);
  }

  @Test
  void anAgentCrashLeavesNothingOnceTheNextStartSweepsOrphans() throws Exception {
    String id = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    int hostPort = 31000 + ThreadLocalRandom.current().nextInt(1000);
    LaunchedContainer c = containerizer.launch(server(id, hostPort));
    String ip = c.networkInfos().get(0).ipAddresses().get(0).ipAddress();
    await().atMost(Duration.ofSeconds(30)).until(() -> fetch(ip + ":8080").equals("served-by-" + id));

    containerizer.close(); // the agent dies; its container, netns and mappings stay
    containerizer = OciContainerizer.create(config);
    assertThat(fetch(subnetPrefix + ".1:" + hostPort)).isEqualTo("served-by-" + id);
    assertThat(containerizer.destroyOrphans(Set.of())).contains(id);
    assertReleased(id, ip, hostPort);
  }

  @Test
  void tasksOfAGroupShareOneNamespaceAndAddressWithTheirOwnPortMappings() throws Exception {
    String group = "group-" + UUID.randomUUID().toString().substring(0, 8);
    String first = "g1-" + UUID.randomUUID().toString().substring(0, 8);
    String second = "g2-" + UUID.randomUUID().toString().substring(0, 8);
    int port1 = 31000 + ThreadLocalRandom.current().nextInt(500);
    int port2 = port1 + 500;
    LaunchedContainer c1 = containerizer.launch(server(first, port1)
        .withNetwork(new NetworkRequest("terrace", List.of(new PortMapping(port1, 8080, "tcp")), group)));
    Path sandbox2 = Files.createDirectories(workDir.resolve("sandboxes").resolve(second));
    launched.add(second);
    // The second task reaches the first on localhost (one namespace) and serves on its own port.
    LaunchedContainer c2 = containerizer.launch(new ContainerLaunch(second, sandbox2,
        List.of("/bin/sh", "-c", "until busybox wget -q -O peer.txt http://127.0.0.1:8080/index.html;"
            + " do sleep 0.1; done; echo second > index.html;"
            + " exec busybox httpd -f -p 8081 -h /mnt/mesos/sandbox"),
        Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), 0.2, 64L << 20, "second", null, false,
        new NetworkRequest("terrace", List.of(new PortMapping(port2, 8081, "tcp")), group)));
    String ip = c1.networkInfos().get(0).ipAddresses().get(0).ipAddress();
    assertThat(c2.networkInfos().get(0).ipAddresses().get(0).ipAddress()).isEqualTo(ip);
    await().atMost(Duration.ofSeconds(30)).until(() -> fetch(subnetPrefix + ".1:" + port2).equals("second"));
    assertThat(fetch(subnetPrefix + ".1:" + port1)).isEqualTo("served-by-" + first);
    assertThat(Files.readString(sandbox2.resolve("peer.txt")).strip()).isEqualTo("served-by-" + first);

    // The first ends: its mapping goes, the namespace stays for the second.
    containerizer.destroy(first);
    assertThat(host.exec("iptables-save", "-t", "nat")).doesNotContain(Integer.toString(port1));
    assertThat(fetch(subnetPrefix + ".1:" + port2)).isEqualTo("second");
    // The last ends: everything goes.
    containerizer.destroy(second);
    assertReleased(second, ip, port2);
    assertThat(containerizer.networks().attachment(group)).isEmpty();
    assertThat(workDir.resolve("network/netns").resolve(group)).doesNotExist();
  }

  @Test
  void anUnknownNetworkFailsTheLaunchAndLeavesNothing() throws Exception {
    String id = "unk-" + UUID.randomUUID().toString().substring(0, 8);
    ContainerLaunch launch = server(id, 31001).withNetwork(new NetworkRequest("no-such-net", List.of()));
    assertThatThrownBy(() -> containerizer.launch(launch))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("unknown network 'no-such-net'")
        .hasMessageContaining(NetworkSettings.DEFAULT_NETWORK);
    assertThat(containerizer.networks().attachment(id)).isEmpty();
    assertThat(workDir.resolve("network/netns").resolve(id)).doesNotExist();
    assertThat(containerizer.containerDir(id)).doesNotExist();
  }

  private void assertReleased(String id, String ip, int hostPort) throws IOException {
    assertThat(containerizer.networks().attachment(id)).isEmpty();
    assertThat(workDir.resolve("network/netns").resolve(id)).doesNotExist();
    assertThat(host.exec("ip", "-o", "link")).doesNotContain("veth");
    assertThat(host.exec("iptables-save", "-t", "nat")).doesNotContain(Integer.toString(hostPort))
        .doesNotContain(ip);
    Path leases = workDir.resolve("network/ipam").resolve(NetworkSettings.DEFAULT_NETWORK);
    try (Stream<Path> files = Files.exists(leases) ? Files.list(leases) : Stream.empty()) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(ip);
    }
    assertThat(fetch(subnetPrefix + ".1:" + hostPort)).isEmpty();
  }
}
