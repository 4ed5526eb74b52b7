package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.util.List;
import java.util.Map;

public record Environment(List<Variable> variables) {
  public Environment {
    variables = variables == null ? List.of() : List.copyOf(variables);
  }

  public record Variable(String name, Type type, String value) {
    public enum Type {
      @JsonEnumDefaultValue
      UNKNOWN,
      VALUE,
      SECRET
    }
  }

  public static Environment of(Map<String, String> vars) {
    return new Environment(vars.entrySet().stream()
        .map(e -> new Variable(e.getKey(), Variable.Type.VALUE, e.getValue())).toList());
  }
}
