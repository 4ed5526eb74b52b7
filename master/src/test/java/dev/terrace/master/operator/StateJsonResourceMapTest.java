package dev.terrace.master.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.model.Resource;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateJsonResourceMapTest {

  private static ObjectNode map(String text) {
    return StateJson.resourceMap(Resources.of(ResourceParser.parseResources(text)));
  }

  @Test
  void emptyResourcesStillHaveTheFourStandardScalars() {
    ObjectNode n = StateJson.resourceMap(Resources.empty());
    assertThat(n.toString()).isEqualTo("{\"cpus\":0.0,\"mem\":0.0,\"disk\":0.0,\"gpus\":0.0}");
  }

  @Test
  void scalarsAreNumbers() {
    ObjectNode n = map("cpus:2.5;mem:1024;disk:4096;gpus:1");
    assertThat(n.get("cpus").isNumber()).isTrue();
    assertThat(n.get("cpus").asDouble()).isEqualTo(2.5);
    assertThat(n.get("mem").asDouble()).isEqualTo(1024.0);
    assertThat(n.get("disk").asDouble()).isEqualTo(4096.0);
    assertThat(n.get("gpus").asDouble()).isEqualTo(1.0);
  }

  @Test
  void scalarsUseFixedPointArithmetic() {
    Resources r = Resources.of(Resource.scalar("cpus", 0.1)).plus(Resources.of(Resource.scalar("cpus", 0.2)));
    assertThat(StateJson.resourceMap(r).get("cpus").asDouble()).isEqualTo(0.3);
  }

  @Test
  void otherScalarsAreIncluded() {
    ObjectNode n = map("cpus:1;mem:32;bandwidth:100");
    assertThat(n.get("bandwidth").asDouble()).isEqualTo(100.0);
  }

  @Test
  void reservedScalarsAddUpWithUnreservedOnes() {
    ObjectNode n = map("cpus:2;cpus(a):1;mem:512;mem(b):256;bandwidth:10;bandwidth(a):5");
    assertThat(n.get("cpus").asDouble()).isEqualTo(3.0);
    assertThat(n.get("mem").asDouble()).isEqualTo(768.0);
    assertThat(n.get("bandwidth").asDouble()).isEqualTo(15.0);
  }

  @Test
  void rangesAreMesosText() {
    assertThat(map("ports:[31000-32000]").get("ports").asText()).isEqualTo("[31000-32000]");
    assertThat(map("ports:[31000-31009,31100-31109]").get("ports").asText())
        .isEqualTo("[31000-31009, 31100-31109]");
    assertThat(map("ports:[8080-8080]").get("ports").asText()).isEqualTo("[8080-8080]");
  }

  @Test
  void rangesOfOneResourceAreNormalized() {
    // Overlapping and adjacent ranges of one resource merge, and come out sorted.
    assertThat(map("ports:[31100-31109,31000-31009,31010-31020,31005-31015]").get("ports").asText())
        .isEqualTo("[31000-31020, 31100-31109]");
  }

  @Test
  void reservedAndUnreservedRangesAreShownAsOneSortedText() {
    assertThat(map("ports(a):[32000-32009];ports:[31000-31009]").get("ports").asText())
        .isEqualTo("[31000-31009, 32000-32009]");
    assertThat(map("ports:[31000-31004];ports(a):[31005-31009]").get("ports").asText())
        .isEqualTo("[31000-31009]");
  }

  @Test
  void setsAreMesosText() {
    assertThat(map("cpus:1;disks:{sda, sdb}").get("disks").asText()).isEqualTo("{sda, sdb}");
  }
}
