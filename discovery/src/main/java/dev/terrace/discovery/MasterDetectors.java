package dev.terrace.discovery;

/** Picks the detector implementation for a master URL. */
final class MasterDetectors {
  private MasterDetectors() {}

  static MasterDetector forUrl(String url) {
    throw new IllegalArgumentException("no detector implemented yet for " + url);
  }
}
