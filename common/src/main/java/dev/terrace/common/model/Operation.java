package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.util.List;

/** Mesos `Offer.Operation`: what a framework does with accepted resources. */
public record Operation(
    Type type,
    OperationId id,
    Launch launch,
    LaunchGroup launchGroup,
    Reserve reserve,
    Unreserve unreserve,
    Create create,
    Destroy destroy,
    GrowVolume growVolume,
    ShrinkVolume shrinkVolume,
    CreateDisk createDisk,
    DestroyDisk destroyDisk) {

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    LAUNCH,
    LAUNCH_GROUP,
    RESERVE,
    UNRESERVE,
    CREATE,
    DESTROY,
    GROW_VOLUME,
    SHRINK_VOLUME,
    CREATE_DISK,
    DESTROY_DISK
  }

  public record Launch(List<TaskInfo> taskInfos) {
    public Launch {
      taskInfos = taskInfos == null ? List.of() : List.copyOf(taskInfos);
    }
  }

  public record LaunchGroup(ExecutorInfo executor, TaskGroupInfo taskGroup) {}

  public record Reserve(List<Resource> source, List<Resource> resources) {
    public Reserve {
      source = source == null ? List.of() : List.copyOf(source);
      resources = resources == null ? List.of() : List.copyOf(resources);
    }
  }

  public record Unreserve(List<Resource> resources) {
    public Unreserve {
      resources = resources == null ? List.of() : List.copyOf(resources);
    }
  }

  public record Create(List<Resource> volumes) {
    public Create {
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }
  }

  public record Destroy(List<Resource> volumes) {
    public Destroy {
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }
  }

  public record GrowVolume(Resource volume, Resource addition) {}

  public record ShrinkVolume(Resource volume, Value.Scalar subtract) {}

  public record CreateDisk(Resource source, String targetType, String targetProfile) {}

  public record DestroyDisk(Resource source) {}

  public static Operation reserve(OperationId id, List<Resource> resources) {
    return new Operation(Type.RESERVE, id, null, null, new Reserve(null, resources), null, null, null,
        null, null, null, null);
  }

  public static Operation unreserve(OperationId id, List<Resource> resources) {
    return new Operation(Type.UNRESERVE, id, null, null, null, new Unreserve(resources), null, null,
        null, null, null, null);
  }

  public static Operation launch(List<TaskInfo> tasks) {
    return new Operation(Type.LAUNCH, null, new Launch(tasks), null, null, null, null, null, null,
        null, null, null);
  }
}
