package dev.terrace.common.model;

import java.util.List;

public record Labels(List<Label> labels) {
  public Labels {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }
}
