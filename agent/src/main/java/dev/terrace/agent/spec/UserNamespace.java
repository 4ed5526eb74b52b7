package dev.terrace.agent.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The user namespace a task may opt into: container ids 0..65535 map to host ids
 * {@link #HOST_BASE}.. (the range {@code useradd} leaves for subordinate ids), so root in the
 * container is an unprivileged, unnamed user on the host. Every such task shares the range: they
 * are kept apart by their other namespaces, and none of them is the host's root.
 */
public final class UserNamespace {
  public static final int HOST_BASE = 100_000;
  public static final int SIZE = 65_536;

  private UserNamespace() {}

  /** The host id of container id {@code id}. */
  public static int hostId(int id) {
    if (id < 0 || id >= SIZE) {
      throw new IllegalArgumentException("id " + id + " is outside the user namespace's 0.." + (SIZE - 1));
    }
    return HOST_BASE + id;
  }

  static void apply(ObjectNode linux) {
    ((ArrayNode) linux.get("namespaces")).addObject().put("type", "user");
    for (String field : new String[] {"uidMappings", "gidMappings"}) {
      ObjectNode m = linux.putArray(field).addObject();
      m.put("containerID", 0);
      m.put("hostID", HOST_BASE);
      m.put("size", SIZE);
    }
  }
}
