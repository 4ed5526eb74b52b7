package dev.terrace.services.state;

import dev.terrace.sdk.ha.ZkStateStore;
import dev.terrace.sdk.ha.ZkStateStore.Write;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Services and their instances in the framework's ZooKeeper state: {@code services/<name>} and
 * {@code instances/<name>/<task id>}. An instance is written before its task is launched, so a
 * new leader knows (and reconciles) every task that may exist.
 */
public final class ServiceStore {
  private final ZkStateStore store;

  public ServiceStore(ZkStateStore store) {
    this.store = store;
  }

  public Map<String, ServiceRecord> loadServices() {
    Map<String, ServiceRecord> out = new LinkedHashMap<>();
    store.readAll("services", ServiceRecord.class).forEach(r -> out.put(r.spec().name(), r));
    return out;
  }

  public Map<String, Instance> loadInstances(String service) {
    Map<String, Instance> out = new LinkedHashMap<>();
    store.readAll("instances/" + service, Instance.class).forEach(i -> out.put(i.taskId(), i));
    return out;
  }

  public void save(ServiceRecord service) {
    store.put("services/" + service.spec().name(), service);
  }

  /** The service and instance changes, together: {@code gone} instances are deleted. */
  public void save(ServiceRecord service, List<Instance> instances, List<Instance> gone) {
    List<Write> w = new ArrayList<>();
    if (service != null) {
      w.add(Write.put("services/" + service.spec().name(), service));
    }
    String name = service != null ? service.spec().name() : null;
    instances.forEach(i -> w.add(Write.put(key(name, i), i)));
    gone.forEach(i -> w.add(Write.delete(key(name, i))));
    store.write(w);
  }

  public void save(String service, Instance instance) {
    store.put("instances/" + service + "/" + instance.taskId(), instance);
  }

  public void delete(String service) {
    store.write(List.of(Write.delete("instances/" + service), Write.delete("services/" + service)));
  }

  private static String key(String service, Instance i) {
    String name = service != null ? service : i.taskId().substring(0, i.taskId().indexOf('.'));
    return "instances/" + name + "/" + i.taskId();
  }
}
