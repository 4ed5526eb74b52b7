package dev.terrace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.Value;
import dev.terrace.spark.placement.AgentConstraints;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentConstraintsTest {
  private final List<Attribute> agent = List.of(Attribute.text("zone", "us-east-1a"),
      Attribute.scalar("gen", 3),
      new Attribute("disks", Value.Type.SET, null, null, new Value.ValueSet(List.of("ssd", "nvme")), null),
      new Attribute("slots", Value.Type.RANGES, null, new Value.Ranges(List.of(new Value.Range(10, 20))), null, null));

  @Test
  void everyClauseMustHoldAndAnyListedValueWill() {
    assertThat(AgentConstraints.parse("zone:us-east-1a,us-east-1b;gen:3").matches(agent)).isTrue();
    assertThat(AgentConstraints.parse("zone:us-east-1b").matches(agent)).isFalse();
    assertThat(AgentConstraints.parse("zone:us-east-1a;gen:4").matches(agent)).isFalse();
  }

  @Test
  void eachAttributeTypeComparesItsOwnWay() {
    assertThat(AgentConstraints.parse("gen:3.0").matches(agent)).isTrue();
    assertThat(AgentConstraints.parse("disks:ssd").matches(agent)).isTrue();
    assertThat(AgentConstraints.parse("disks:hdd").matches(agent)).isFalse();
    assertThat(AgentConstraints.parse("slots:15").matches(agent)).isTrue();
    assertThat(AgentConstraints.parse("slots:25").matches(agent)).isFalse();
  }

  @Test
  void aNameAloneAsksOnlyThatTheAttributeExists() {
    assertThat(AgentConstraints.parse("zone").matches(agent)).isTrue();
    assertThat(AgentConstraints.parse("rack").matches(agent)).isFalse();
  }

  @Test
  void blankMeansAnyAgentAndAClauseWithoutANameIsRefused() {
    assertThat(AgentConstraints.parse(" ").matches(List.of())).isTrue();
    assertThatThrownBy(() -> AgentConstraints.parse("zone:a;:b"))
        .hasMessageContaining("invalid constraint ':b'");
  }
}
