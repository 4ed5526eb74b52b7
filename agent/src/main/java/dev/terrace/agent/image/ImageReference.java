package dev.terrace.agent.image;

import dev.terrace.agent.content.Digest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference, {@code [registry[:port]/][namespace/]repo[:tag][@digest]}, with Docker's
 * defaults: no registry means Docker Hub ({@code docker.io}), a single-component Docker Hub
 * repository lives under {@code library/}, and no tag nor digest means {@code latest}.
 *
 * <p>As in Docker, the first component names a registry only when it contains a dot or a colon or
 * is {@code localhost}; otherwise it is part of the repository ({@code user/repo} on Docker Hub).
 *
 * @param registry host[:port], lower case; {@code docker.io} for Docker Hub
 * @param repository the repository path, e.g. {@code library/busybox}
 * @param tag the tag, or null when only a digest is given
 * @param digest the manifest digest, or null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
  public static final String DOCKER_HUB = "docker.io";
  /** Where Docker Hub's v2 API actually answers. */
  public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST = Pattern.compile(
      "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
          + "|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

  /** Parses {@code text}; throws IllegalArgumentException with the reason when it is invalid. */
  public static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty image reference");
    }
    String rest = text.strip();
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid image reference '" + text + "': "
            + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("invalid tag '" + tag + "' in image reference '"
            + text + "'");
      }
    }
    String registry = DOCKER_HUB;
    int first = rest.indexOf('/');
    if (first > 0) {
      String head = rest.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")
          || head.startsWith("[")) {
        if (!HOST.matcher(head).matches()) {
          throw new IllegalArgumentException("invalid registry '" + head + "' in image reference '"
              + text + "'");
        }
        registry = head.toLowerCase(Locale.ROOT);
        rest = rest.substring(first + 1);
      }
    }
    if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_API_HOST)) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException("invalid repository '" + rest + "' in image reference '"
            + text + "' (components are lower-case letters, digits and separators)");
      }
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** The host (and port) to send API requests to: Docker Hub's API host for docker.io. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
  }

  /** What to ask the manifests endpoint for: the digest when there is one, else the tag. */
  public String manifestReference() {
    return digest != null ? digest.toString() : tag;
  }

  /** The same repository at {@code newDigest} (a manifest picked from an index). */
  public ImageReference withDigest(Digest newDigest) {
    return new ImageReference(registry, repository, tag, newDigest);
  }

  /** The canonical form, {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    return registry + "/" + repository + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }
}
