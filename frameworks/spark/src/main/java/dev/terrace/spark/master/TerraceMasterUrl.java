package dev.terrace.spark.master;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A Spark master URL for Terrace: {@code terrace://host:port} (one master, or any master of an
 * HA set, which redirects to the leader) or {@code terrace://zk://host:2181[,host:2181]/path}
 * (the leader found through ZooKeeper). {@link #sdkUrl()} is what {@code SchedulerClient} takes.
 */
public record TerraceMasterUrl(String sdkUrl) {
  public static final String PREFIX = "terrace://";

  public static boolean isTerrace(String masterUrl) {
    return masterUrl != null && masterUrl.startsWith(PREFIX);
  }

  /** Parses {@code masterUrl}; a malformed one is refused with the reason and the forms accepted. */
  public static TerraceMasterUrl parse(String masterUrl) {
    if (!isTerrace(masterUrl)) {
      throw invalid(masterUrl, "it does not start with " + PREFIX);
    }
    String rest = masterUrl.substring(PREFIX.length());
    if (rest.startsWith("zk://")) {
      String hostsAndPath = rest.substring("zk://".length());
      int slash = hostsAndPath.indexOf('/');
      if (slash <= 0 || slash == hostsAndPath.length() - 1) {
        throw invalid(masterUrl, "a ZooKeeper URL needs hosts and a path");
      }
      for (String host : hostsAndPath.substring(0, slash).split(",")) {
        hostPort(masterUrl, host);
      }
      return new TerraceMasterUrl(rest);
    }
    if (rest.contains("://")) {
      throw invalid(masterUrl, "only zk:// may follow " + PREFIX);
    }
    String hostPort = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    URI uri = hostPort(masterUrl, hostPort);
    return new TerraceMasterUrl("http://" + uri.getHost() + ":" + uri.getPort());
  }

  private static URI hostPort(String masterUrl, String hostPort) {
    try {
      URI uri = new URI("http://" + hostPort);
      if (uri.getHost() == null || uri.getPort() < 0 || (uri.getPath() != null && !uri.getPath().isEmpty())) {
        throw invalid(masterUrl, "'" + hostPort + "' is not host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(masterUrl, "'" + hostPort + "' is not host:port");
    }
  }

  private static IllegalArgumentException invalid(String masterUrl, String why) {
    return new IllegalArgumentException("invalid Terrace master URL '" + masterUrl + "': " + why
        + " (expected terrace://host:port or terrace://zk://host:2181/terrace)");
  }
}
