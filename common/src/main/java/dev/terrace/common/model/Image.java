package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Mesos `Image`. Mesos knows only APPC and DOCKER; an OCI image from any registry is named as
 * DOCKER ({@code [registry/][namespace/]repo[:tag|@digest]}).
 */
public record Image(Type type, Docker docker, Boolean cached) {
  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    APPC,
    DOCKER
  }

  public record Docker(String name) {}

  public static Image docker(String name) {
    return new Image(Type.DOCKER, new Docker(name), null);
  }
}
