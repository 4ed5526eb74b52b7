package dev.terrace.master.registry;

import java.time.Clock;

class InMemoryRegistryTest extends RegistryContractTest {
  @Override
  Registry newRegistry() {
    return new InMemoryRegistry(COMPLETED_LIMIT, Clock.systemUTC());
  }

  @Override
  void depose(Registry registry) {
    ((InMemoryRegistry) registry).depose();
  }
}
