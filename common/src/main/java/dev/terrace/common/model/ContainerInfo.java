package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.util.List;

/** Mesos `ContainerInfo`: which containerizer, image, volumes, networks and hostname a task gets. */
public record ContainerInfo(
    Type type,
    List<Volume> volumes,
    String hostname,
    DockerInfo docker,
    MesosInfo mesos,
    List<NetworkInfo> networkInfos) {

  public ContainerInfo {
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    networkInfos = networkInfos == null ? List.of() : List.copyOf(networkInfos);
  }

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    DOCKER,
    MESOS
  }

  public record MesosInfo(Image image) {}

  /** The Docker containerizer's view; Terrace runs these images through its own containerizer. */
  public record DockerInfo(
      String image, String network, List<NetworkInfo.PortMapping> portMappings, Boolean privileged,
      Boolean forcePullImage) {}

  public record Volume(String containerPath, String hostPath, Mode mode, Image image) {
    public enum Mode {
      @JsonEnumDefaultValue
      UNKNOWN,
      RW,
      RO
    }
  }

  /** The image this container runs, from either the MESOS or the DOCKER shape; null for none. */
  public String imageName() {
    if (mesos != null && mesos.image() != null && mesos.image().docker() != null) {
      return mesos.image().docker().name();
    }
    if (docker != null) {
      return docker.image();
    }
    return null;
  }
}
