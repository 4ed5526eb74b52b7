package dev.terrace.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.json.Json;
import dev.terrace.common.scheduler.Call;
import org.junit.jupiter.api.Test;

/** Found by EndpointFuzzTest: a capability without a type broke every view listing the framework. */
class FrameworkCapabilityValidationTest {
  @Test
  void aCapabilityWithoutATypeIsRefusedAndAnUnknownOneIsNot() {
    Call nullType = Json.parse("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\","
        + "\"name\":\"n\",\"capabilities\":[{\"type\":null}]}}}", Call.class);
    assertThat(CallValidator.validate(nullType))
        .isEqualTo("Expecting each 'framework_info.capabilities' entry to have a 'type'");
    Call unknown = Json.parse("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\","
        + "\"name\":\"n\",\"capabilities\":[{\"type\":\"FROM_THE_FUTURE\"}]}}}", Call.class);
    assertThat(CallValidator.validate(unknown)).isNull();
  }
}
