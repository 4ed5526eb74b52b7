package dev.terrace.master.registry;

import java.util.Objects;

/** One step of a unit of work: put or delete one entity. Values are already JSON. */
sealed interface Change {
  EntityKind kind();

  String id();

  /** Create or overwrite the entity {@code id} of {@code kind}. */
  record Put(EntityKind kind, String id, byte[] json) implements Change {
    public Put {
      Objects.requireNonNull(kind, "kind");
      ZnodeNames.requireValidId(id);
      Objects.requireNonNull(json, "json");
    }
  }

  /** Delete the entity if it exists; deleting what is absent is no error. */
  record Delete(EntityKind kind, String id) implements Change {
    public Delete {
      Objects.requireNonNull(kind, "kind");
      ZnodeNames.requireValidId(id);
    }
  }
}
