package dev.terrace.master.registry;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Entity ids as znode names. Ids are opaque strings from frameworks and operators and may hold
 * '/', spaces or anything else, while a znode name must not contain '/', must not be "." or "..",
 * and must avoid some Unicode ranges. URL encoding (UTF-8, spaces as %20) yields only ASCII
 * letters, digits, "-_.*" and %XX, which ZooKeeper accepts; the two dot-only names are the
 * remaining case and get their dots encoded too. Decoding is the plain inverse.
 */
final class ZnodeNames {
  private ZnodeNames() {}

  static String encode(String id) {
    requireValidId(id);
    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    if (encoded.equals(".") || encoded.equals("..")) {
      return encoded.replace(".", "%2E");
    }
    return encoded;
  }

  static String decode(String name) {
    return URLDecoder.decode(name, StandardCharsets.UTF_8);
  }

  static String requireValidId(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("registry ids must be non-empty, got " + (id == null ? "null" : "''"));
    }
    return id;
  }
}
