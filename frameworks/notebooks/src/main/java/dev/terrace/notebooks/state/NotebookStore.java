package dev.terrace.notebooks.state;

import dev.terrace.sdk.ha.ZkStateStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Notebooks in the framework's ZooKeeper state, one key per user: {@code notebooks/<user>}. A
 * notebook is written with its task id before the task is launched, so a new leader knows (and
 * reconciles) every server that may run.
 */
public final class NotebookStore {
  private final ZkStateStore store;

  public NotebookStore(ZkStateStore store) {
    this.store = store;
  }

  public Map<String, Notebook> load() {
    Map<String, Notebook> out = new LinkedHashMap<>();
    store.readAll("notebooks", Notebook.class).forEach(n -> out.put(n.user(), n));
    return out;
  }

  public void save(Notebook notebook) {
    store.put("notebooks/" + notebook.user(), notebook);
  }
}
