package dev.terrace.security.authn;

/**
 * Which kind of caller an endpoint serves, and so which switch turns its authentication on (as
 * Mesos' {@code --authenticate_frameworks}, {@code --authenticate_agents},
 * {@code --authenticate_http_readonly} and {@code --authenticate_http_readwrite}).
 */
public enum Realm {
  /** Never authenticated: health, version, leader redirects, the web UI's static files. */
  OPEN("open"),
  /** Read-only operator endpoints: state, metrics, task lists, sandbox reads. */
  READONLY("readonly"),
  /** Operator endpoints that change something (the v1 operator API), and exec into tasks. */
  READWRITE("readwrite"),
  /** The v1 scheduler API. */
  FRAMEWORK("scheduler"),
  /** The agents' channel to the master. */
  AGENT("agent");

  private final String suffix;

  Realm(String suffix) {
    this.suffix = suffix;
  }

  /** The realm name in {@code WWW-Authenticate}, e.g. {@code terrace-master-readonly}. */
  public String challengeName(String server) {
    return "terrace-" + server + "-" + suffix;
  }
}
