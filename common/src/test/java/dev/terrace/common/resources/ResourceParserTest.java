package dev.terrace.common.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.ReservationInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceParserTest {

  @Test
  void parsesTheAgentFlagForm() {
    List<Resource> list = ResourceParser.parseResources("cpus:4;mem:2048;ports:[31000-32000]");
    assertThat(list).containsExactly(
        Resource.scalar("cpus", 4),
        Resource.scalar("mem", 2048),
        Resource.ranges("ports", List.of(new Value.Range(31000, 32000))));
  }

  @Test
  void whitespaceAndEmptyEntriesAreTolerated() {
    assertThat(ResourceParser.parseResources(" cpus : 0.5 ; ; mem:64 ;"))
        .containsExactly(Resource.scalar("cpus", 0.5), Resource.scalar("mem", 64));
    assertThat(ResourceParser.parseResources("")).isEmpty();
    assertThat(ResourceParser.parseResources("  ")).isEmpty();
    assertThat(ResourceParser.parseResources(null)).isEmpty();
  }

  @Test
  void severalRangesAndSingleValues() {
    Resource ports = ResourceParser.parseResources("ports:[1-2, 80, 8000-8080]").get(0);
    assertThat(ports.ranges().range()).containsExactly(
        new Value.Range(1, 2), new Value.Range(80, 80), new Value.Range(8000, 8080));
  }

  @Test
  void sets() {
    Resource disks = ResourceParser.parseResources("disks:{sda, sdb,sdc}").get(0);
    assertThat(disks.type()).isEqualTo(Value.Type.SET);
    assertThat(disks.set().item()).containsExactly("sda", "sdb", "sdc");
  }

  @Test
  void roleInParenthesesIsAStaticReservation() {
    Resource r = ResourceParser.parseResources("cpus(analytics):2").get(0);
    assertThat(r.name()).isEqualTo("cpus");
    assertThat(r.reservations()).containsExactly(
        new ReservationInfo(ReservationInfo.Type.STATIC, "analytics", null, null));
    assertThat(r.reservationRole()).isEqualTo("analytics");
    assertThat(ResourceParser.parseResources("cpus(*):2").get(0)).isEqualTo(Resource.scalar("cpus", 2));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cpus", ":4", "cpus:", "cpus:abc", "cpus:-1", "cpus:NaN", "cpus:Infinity",
      "ports:[1-2", "ports:[a-b]", "ports:[5-1]", "ports:[-5-10]", "ports:[1-2-3]", "disks:{a,b"})
  void invalidResourcesAreRejected(String text) {
    assertThatThrownBy(() -> ResourceParser.parseResources(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorMessagesQuoteTheEntry() {
    assertThatThrownBy(() -> ResourceParser.parseResources("cpus:4;mem:lots"))
        .hasMessageContaining("mem:lots");
    assertThatThrownBy(() -> ResourceParser.parseResources("ports:[x-y]"))
        .hasMessageContaining("x-y");
  }

  @Test
  void attributesOfEveryKind() {
    List<Attribute> attrs =
        ResourceParser.parseAttributes("rack:r1;cores:16;load:0.75;zone:eu-1a;slots:[1-4];tags:{ssd,gpu}");
    assertThat(attrs).extracting(Attribute::name, Attribute::type).containsExactly(
        org.assertj.core.groups.Tuple.tuple("rack", Value.Type.TEXT),
        org.assertj.core.groups.Tuple.tuple("cores", Value.Type.SCALAR),
        org.assertj.core.groups.Tuple.tuple("load", Value.Type.SCALAR),
        org.assertj.core.groups.Tuple.tuple("zone", Value.Type.TEXT),
        org.assertj.core.groups.Tuple.tuple("slots", Value.Type.RANGES),
        org.assertj.core.groups.Tuple.tuple("tags", Value.Type.SET));
    assertThat(attrs.get(0)).isEqualTo(Attribute.text("rack", "r1"));
    assertThat(attrs.get(1)).isEqualTo(Attribute.scalar("cores", 16));
    assertThat(attrs).extracting(Attribute::valueString)
        .containsExactly("r1", "16", "0.75", "eu-1a", "[1-4]", "{ssd,gpu}");
  }

  @Test
  void attributeTextMayContainColonsAndDots() {
    assertThat(ResourceParser.parseAttributes("host:a.b.c;url:http://x:1;ver:1.2.3")).containsExactly(
        Attribute.text("host", "a.b.c"), Attribute.text("url", "http://x:1"),
        Attribute.text("ver", "1.2.3"));
  }

  @Test
  void invalidAttributesAreRejected() {
    assertThatThrownBy(() -> ResourceParser.parseAttributes("rack"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rack");
    assertThatThrownBy(() -> ResourceParser.parseAttributes(":r1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceParser.parseAttributes("slots:[4-1]"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ResourceParser.parseAttributes("")).isEmpty();
  }
}
