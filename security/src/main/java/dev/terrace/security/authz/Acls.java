package dev.terrace.security.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Local ACLs in Mesos' JSON shape ({@code --acls}): {@code {"permissive": true, "run_tasks":
 * [{"principals": {"values": ["ops"]}, "users": {"values": ["nobody"]}}], ...}}. Rules of one
 * action are checked in order and the first whose principal and object both match decides
 * (allowed unless either side is NONE); when none matches, {@code permissive} decides (true by
 * default, as in Mesos). Without an ACL file everything is allowed.
 */
public final class Acls {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Rule(Entity principals, Entity object) {}

  private final boolean permissive;
  private final Map<Action, List<Rule>> rules;

  private Acls(boolean permissive, Map<Action, List<Rule>> rules) {
    this.permissive = permissive;
    this.rules = rules;
  }

  /** No rules, permissive: everything is allowed. */
  public static Acls allowAll() {
    return new Acls(true, Map.of());
  }

  public static Acls read(Path file) throws IOException {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IOException("Cannot use ACL file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the JSON; unknown keys are refused so that a misspelt rule never silently allows. */
  public static Acls parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("ACLs are not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("ACLs must be a JSON object");
    }
    boolean permissive = true;
    Map<Action, List<Rule>> rules = new EnumMap<>(Action.class);
    var fields = root.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      if (f.getKey().equals("permissive")) {
        if (!f.getValue().isBoolean()) {
          throw new IllegalArgumentException("'permissive' must be true or false");
        }
        permissive = f.getValue().asBoolean();
        continue;
      }
      Action action = actionNamed(f.getKey());
      if (!f.getValue().isArray()) {
        throw new IllegalArgumentException("'" + f.getKey() + "' must be an array of rules");
      }
      List<Rule> list = new ArrayList<>();
      int i = 0;
      for (JsonNode r : f.getValue()) {
        String where = f.getKey() + "[" + i++ + "]";
        list.add(new Rule(Entity.parse(r.path("principals"), where + ".principals"),
            Entity.parse(r.path(action.objectField()), where + "." + action.objectField())));
      }
      rules.put(action, List.copyOf(list));
    }
    return new Acls(permissive, Map.copyOf(rules));
  }

  private static Action actionNamed(String name) {
    for (Action a : Action.values()) {
      if (a.jsonName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown ACL '" + name + "'");
  }

  /**
   * Whether {@code principal} (null: unauthenticated) may do {@code action} on {@code object}
   * (null: on every object, for the coarse view checks).
   */
  public boolean allows(String principal, Action action, String object) {
    for (Rule r : rules.getOrDefault(action, List.of())) {
      if (r.principals().matches(principal) && r.object().matches(object)) {
        return r.principals().allows() && r.object().allows();
      }
    }
    return permissive;
  }

  public boolean permissive() {
    return permissive;
  }

  public boolean hasRules() {
    return !rules.isEmpty() || !permissive;
  }
}
