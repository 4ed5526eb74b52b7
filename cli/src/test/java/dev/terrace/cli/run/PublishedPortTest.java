package dev.terrace.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedPortTest {
  private static final List<Value.Range> OFFERED =
      List.of(new Value.Range(31010, 31011), new Value.Range(31000, 31000));

  @Test
  void fixedPortsMustBeOfferedAndAutomaticOnesTakeTheLowestFree() {
    assertThat(PublishedPort.assign(List.of(new PublishedPort(31010, 80, "tcp"),
        new PublishedPort(0, 8080, "tcp"), new PublishedPort(0, 9090, "udp")), OFFERED))
        .contains(List.of(new NetworkInfo.PortMapping(31010, 80, "tcp"),
            new NetworkInfo.PortMapping(31000, 8080, "tcp"),
            new NetworkInfo.PortMapping(31011, 9090, "udp")));
  }

  @Test
  void anOfferWithoutTheFixedPortOrEnoughPortsDoesNotFit() {
    assertThat(PublishedPort.assign(List.of(new PublishedPort(8080, 80, "tcp")), OFFERED)).isEmpty();
    assertThat(PublishedPort.assign(List.of(new PublishedPort(0, 1, "tcp"), new PublishedPort(0, 2, "tcp"),
        new PublishedPort(0, 3, "tcp"), new PublishedPort(0, 4, "tcp")), OFFERED)).isEmpty();
    assertThat(PublishedPort.assign(List.of(new PublishedPort(31000, 1, "tcp"),
        new PublishedPort(31000, 2, "tcp")), OFFERED)).isEmpty();
  }

  @Test
  void hostPortsBecomeSingleRanges() {
    assertThat(PublishedPort.asRanges(List.of(new NetworkInfo.PortMapping(31011, 1, "tcp"),
        new NetworkInfo.PortMapping(31000, 2, "tcp"))))
        .containsExactly(new Value.Range(31000, 31000), new Value.Range(31011, 31011));
  }
}
