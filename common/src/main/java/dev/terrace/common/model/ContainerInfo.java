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

  /**
   * Whether the image must be asked for again even when the agent has it: Mesos'
   * {@code Image.cached: false} or Docker's {@code force_pull_image: true}. Both default to using
   * the cached image.
   */
  public boolean forcePull() {
    if (mesos != null && mesos.image() != null) {
      return Boolean.FALSE.equals(mesos.image().cached());
    }
    return docker != null && Boolean.TRUE.equals(docker.forcePullImage());
  }
}
