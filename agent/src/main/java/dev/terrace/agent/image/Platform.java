package dev.terrace.agent.image;

import java.util.Locale;

/**
 * An image platform as an index describes it, e.g. {@code linux/amd64} or {@code linux/arm64/v8}.
 *
 * @param variant empty when none
 */
public record Platform(String os, String architecture, String variant) {

  /** The platform this agent runs on, in Go's (and so the image spec's) architecture names. */
  public static Platform host() {
    return new Platform("linux", goArch(System.getProperty("os.arch", "amd64")), "");
  }

  /** Maps the JVM's {@code os.arch} to GOARCH names. */
  static String goArch(String javaArch) {
    switch (javaArch.toLowerCase(Locale.ROOT)) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i686":
        return "386";
      case "ppc64le":
        return "ppc64le";
      case "s390x":
        return "s390x";
      case "riscv64":
        return "riscv64";
      default:
        return javaArch;
    }
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
