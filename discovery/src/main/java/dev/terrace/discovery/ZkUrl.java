package dev.terrace.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code zk://host:port[,host:port...]/path} URL: the ZooKeeper connect string and the base
 * path under which Terrace keeps its nodes (for example {@code /terrace}).
 *
 * <p>The base path is kept out of the connect string (no ZooKeeper chroot) so that one client can
 * be pointed at several bases and every node path that appears in logs is absolute.
 */
public record ZkUrl(String connectString, String basePath) {

  private static final String SCHEME = "zk://";

  public ZkUrl {
    Objects.requireNonNull(connectString, "connectString");
    Objects.requireNonNull(basePath, "basePath");
  }

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException naming what is wrong: the scheme, no hosts, a host without a
   *     port or with a bad one, or a missing or malformed path
   */
  public static ZkUrl parse(String url) {
    if (url == null || !url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw bad(url, "it must start with " + SCHEME);
    }
    String rest = url.substring(SCHEME.length());
    if (rest.contains("@")) {
      // Mesos accepts user:password@ here; we have no ZooKeeper authentication yet, and silently
      // dropping credentials would be worse than refusing them.
      throw bad(url, "credentials (user@) are not supported");
    }
    if (rest.contains("?") || rest.contains("#")) {
      throw bad(url, "query strings and fragments are not supported");
    }
    int slash = rest.indexOf('/');
    String hostList = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);

    List<String> hosts = new ArrayList<>();
    for (String hostPort : hostList.split(",", -1)) {
      if (hostPort.isBlank()) {
        continue;
      }
      hosts.add(parseHostPort(url, hostPort.trim()));
    }
    if (hosts.isEmpty()) {
      throw bad(url, "no hosts given");
    }
    return new ZkUrl(String.join(",", hosts), parsePath(url, path));
  }

  private static String parseHostPort(String url, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    // An IPv6 literal must be bracketed ([::1]:2181), as ZooKeeper's connect string expects.
    boolean bracketed = hostPort.startsWith("[");
    if (colon < 0 || (bracketed && colon < hostPort.indexOf(']'))) {
      throw bad(url, "host '" + hostPort + "' has no port (expected host:port)");
    }
    String host = hostPort.substring(0, colon);
    String portText = hostPort.substring(colon + 1);
    if (host.isEmpty() || (bracketed && !host.endsWith("]")) || (!bracketed && host.contains(":"))) {
      throw bad(url, "bad host in '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw bad(url, "bad port '" + portText + "' in '" + hostPort + "'");
    }
    if (port < 1 || port > 65535) {
      throw bad(url, "port " + port + " in '" + hostPort + "' is out of range 1-65535");
    }
    return host + ":" + port;
  }

  private static String parsePath(String url, String path) {
    // A trailing slash is harmless in a URL but not in a znode path.
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty() || trimmed.equals("/")) {
      throw bad(url, "no path given (expected a base path such as /terrace)");
    }
    if (trimmed.contains("//")) {
      throw bad(url, "path '" + path + "' has an empty segment");
    }
    for (String segment : trimmed.substring(1).split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw bad(url, "path '" + path + "' has a relative segment");
      }
    }
    return trimmed;
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException(
        "bad ZooKeeper URL '" + url + "': " + why + "; expected zk://host:port[,host:port...]/path");
  }

  @Override
  public String toString() {
    return SCHEME + connectString + basePath;
  }
}
