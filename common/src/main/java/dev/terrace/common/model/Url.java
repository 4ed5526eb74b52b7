package dev.terrace.common.model;

import java.util.List;

/** Mesos `URL`; an offer's {@code url} says where the offering agent's HTTP API listens. */
public record Url(String scheme, Address address, String path, List<Label> query, String fragment) {
  public Url {
    query = query == null ? List.of() : List.copyOf(query);
  }

  public static Url http(String host, String ip, int port) {
    return new Url("http", new Address(host, ip, port), "/", null, null);
  }

  /** {@code scheme://host:port}, preferring the ip. */
  public String baseUrl() {
    String host = address.ip() != null ? address.ip() : address.hostname();
    return (scheme == null ? "http" : scheme) + "://" + host + ":" + address.port();
  }
}
