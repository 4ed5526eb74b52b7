package dev.terrace.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CniNetworkListTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachPluginGetsTheNetworksNameVersionPrevResultAndItsCapabilities() throws Exception {
    CniNetworkList list = CniNetworkList.parse(DefaultNetwork.conflist(
        NetworkSettings.defaults(Path.of("/w")).withDefaultNetwork("10.9.0.0/16", "tb0")));
    assertThat(list.name()).isEqualTo("terrace");
    assertThat(list.mapsPorts()).isTrue();
    JsonNode bridge = list.pluginConfig(0, null, List.of(new PortMapping(31000, 80, "tcp")));
    assertThat(bridge.path("type").asText()).isEqualTo("bridge");
    assertThat(bridge.path("name").asText()).isEqualTo("terrace");
    assertThat(bridge.path("cniVersion").asText()).isEqualTo("0.4.0");
    assertThat(bridge.has("prevResult")).isFalse();
    assertThat(bridge.has("runtimeConfig")).isFalse();
    assertThat(bridge.path("ipam").path("subnet").asText()).isEqualTo("10.9.0.0/16");
    assertThat(bridge.path("ipam").path("dataDir").asText()).isEqualTo("/w/network/ipam");

    JsonNode prev = JSON.readTree("{\"ips\":[{\"address\":\"10.9.0.2/16\"}]}");
    JsonNode portmap = list.pluginConfig(1, prev, List.of(new PortMapping(31000, 80, "TCP")));
    assertThat(portmap.path("prevResult")).isEqualTo(prev);
    assertThat(portmap.path("runtimeConfig").path("portMappings")).isEqualTo(JSON.readTree(
        "[{\"hostPort\":31000,\"containerPort\":80,\"protocol\":\"tcp\"}]"));
    assertThat(NetworkAttachment.firstIpv4(prev)).isEqualTo("10.9.0.2");
  }

  @Test
  void aSinglePluginConfIsAChainOfOneAndBrokenConfigsSayWhy() throws Exception {
    CniNetworkList one = CniNetworkList.parse(JSON.readTree(
        "{\"cniVersion\":\"1.0.0\",\"name\":\"lan\",\"type\":\"macvlan\",\"master\":\"eth1\"}"));
    assertThat(one.plugins()).hasSize(1);
    assertThat(one.mapsPorts()).isFalse();
    assertThat(CniNetworkList.parse(one.toJson())).isEqualTo(one);
    assertThatThrownBy(() -> CniNetworkList.parse(JSON.readTree("{\"type\":\"bridge\"}")))
        .hasMessageContaining("'name'");
    assertThatThrownBy(() -> CniNetworkList.parse(JSON.readTree("{\"name\":\"x\",\"plugins\":[{}]}")))
        .hasMessageContaining("'type'");
    assertThatThrownBy(() -> CniNetworkList.parse(JSON.readTree("{\"name\":\"x\"}")))
        .hasMessageContaining("no plugins");
  }

  @Test
  void settingsRefuseABadSubnetOrBridgeName() {
    NetworkSettings d = NetworkSettings.defaults(Path.of("/w"));
    assertThatThrownBy(() -> d.withDefaultNetwork("10.0.0.0", "b")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> d.withDefaultNetwork("10.0.300.0/16", "b")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> d.withDefaultNetwork("10.0.0.0/16", "a-bridge-name-too-long"))
        .hasMessageContaining("bridge");
  }

  @Test
  void etcFilesNameTheContainerAndDropLoopbackResolvers() {
    assertThat(EtcFiles.hosts("web", "10.1.0.5")).contains("10.1.0.5\tweb\n").contains("localhost");
    assertThat(EtcFiles.resolvConf("nameserver 127.0.0.53\nnameserver 192.0.2.1\nsearch x\n"))
        .isEqualTo("nameserver 192.0.2.1\nsearch x\n");
  }

  @Test
  void pluginErrorsUseTheSpecsErrorObject() {
    assertThat(CniPluginRunner.errorMessage(
        "{\"code\":11,\"msg\":\"no IP addresses available\",\"details\":\"range full\"}", "", 1))
        .isEqualTo("no IP addresses available (range full) [code 11]");
    assertThat(CniPluginRunner.errorMessage("", "boom", 2)).isEqualTo("exit 2: boom");
  }
}
