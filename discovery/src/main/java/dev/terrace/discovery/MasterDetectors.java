package dev.terrace.discovery;

import java.util.Locale;

/** Picks the detector implementation for a master URL. */
final class MasterDetectors {
  private MasterDetectors() {}

  static MasterDetector forUrl(String url) {
    String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("zk://")) {
      return new ZooKeeperMasterDetector(ZkUrl.parse(url));
    }
    if (lower.startsWith("http://")) {
      return StandaloneMasterDetector.forUrl(url);
    }
    throw new IllegalArgumentException(
        "unsupported master URL '"
            + url
            + "': expected zk://host:port[,host:port...]/path (ZooKeeper election) or"
            + " http://host:port (a single master)");
  }
}
