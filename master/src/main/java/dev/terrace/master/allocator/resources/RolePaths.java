package dev.terrace.master.allocator.resources;

/** Hierarchical role names: {@code eng/ml/batch} is a child of {@code eng/ml}, of {@code eng}. */
public final class RolePaths {
  private RolePaths() {}

  /** True when {@code role} is {@code ancestor} or below it. */
  public static boolean isSelfOrDescendant(String role, String ancestor) {
    return role.equals(ancestor)
        || (role.length() > ancestor.length() && role.startsWith(ancestor)
            && role.charAt(ancestor.length()) == '/');
  }

  /** The parent of {@code role}, or null for a top-level role. */
  public static String parent(String role) {
    int slash = role.lastIndexOf('/');
    return slash < 0 ? null : role.substring(0, slash);
  }
}
