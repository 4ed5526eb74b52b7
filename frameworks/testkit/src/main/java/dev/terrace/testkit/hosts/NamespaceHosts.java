package dev.terrace.testkit.hosts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hosts for multi-host tests, made of network namespaces: a "switch" namespace holding a Linux
 * bridge, one namespace per host with an {@code eth0} on that bridge and its own address, and a
 * veth from the test's own namespace onto the bridge (the "hub" address, where the master listens),
 * all on one private /24 chosen at random. Nothing touches the machine's existing interfaces or
 * routes: the only change outside the namespaces made here is the hub veth and the connected route
 * of that /24, and both go with {@link #close}.
 *
 * <p>Names carry a random tag, so tests of several engineers can run at the same time.
 */
public final class NamespaceHosts implements AutoCloseable {
  private final String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  private final String subnet;
  private final String switchNs = "tk" + tag + "-sw";
  private final String hubIf = "tk" + tag + "h";
  private final List<Host> hosts = new ArrayList<>();

  /** One host: its namespace, address and the switch port that links it. */
  public record Host(String name, String netns, String address, String switchPort) {
    /** The namespace file, for {@code nsenter --net=}. */
    public String netnsPath() {
      return "/run/netns/" + netns;
    }
  }

  public NamespaceHosts() throws IOException {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    subnet = "10." + r.nextInt(200, 250) + "." + r.nextInt(0, 256);
    try {
      Shell.run("ip", "netns", "add", switchNs);
      Shell.run("ip", "-n", switchNs, "link", "add", "br0", "type", "bridge");
      Shell.run("ip", "-n", switchNs, "link", "set", "br0", "up");
      Shell.run("ip", "link", "add", hubIf, "type", "veth", "peer", "name", hubIf + "p");
      Shell.run("ip", "link", "set", hubIf + "p", "netns", switchNs);
      Shell.run("ip", "-n", switchNs, "link", "set", hubIf + "p", "master", "br0", "up");
      Shell.run("ip", "addr", "add", hubAddress() + "/24", "dev", hubIf);
      Shell.run("ip", "link", "set", hubIf, "up");
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** The test's own address on the switch: masters listen here so every host reaches them. */
  public String hubAddress() {
    return subnet + ".1";
  }

  /** Makes a host named {@code name} with the next address of the subnet. */
  public Host addHost(String name) throws IOException {
    int i = hosts.size();
    String ns = "tk" + tag + "-" + name;
    String veth = "tk" + tag + "v" + i;
    String port = "p" + i;
    Host h = new Host(name, ns, subnet + "." + (10 + i), port);
    hosts.add(h);
    Shell.run("ip", "netns", "add", ns);
    Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
    Shell.run("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "p");
    Shell.run("ip", "link", "set", veth, "netns", ns);
    Shell.run("ip", "-n", ns, "link", "set", veth, "name", "eth0");
    Shell.run("ip", "-n", ns, "addr", "add", h.address() + "/24", "dev", "eth0");
    Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
    Shell.run("ip", "link", "set", veth + "p", "netns", switchNs);
    Shell.run("ip", "-n", switchNs, "link", "set", veth + "p", "name", port);
    Shell.run("ip", "-n", switchNs, "link", "set", port, "master", "br0", "up");
    return h;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts);
  }

  /** Cuts {@code host} off the switch (its cable pulled): nothing gets in or out. */
  public void cut(Host host) throws IOException {
    Shell.run("ip", "-n", switchNs, "link", "set", host.switchPort(), "down");
  }

  /** Plugs {@code host} back in. */
  public void heal(Host host) throws IOException {
    Shell.run("ip", "-n", switchNs, "link", "set", host.switchPort(), "up");
  }

  /** Runs {@code argv} in {@code host}'s network namespace and returns its output. */
  public String exec(Host host, String... argv) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + host.netnsPath()));
    cmd.addAll(List.of(argv));
    return Shell.run(cmd);
  }

  /** Deletes every namespace made here (and with them their veths) and the hub veth. */
  @Override
  public void close() {
    for (Host h : hosts) {
      Shell.quietly("ip", "netns", "del", h.netns());
    }
    Shell.quietly("ip", "link", "del", hubIf);
    Shell.quietly("ip", "netns", "del", switchNs);
  }
}
