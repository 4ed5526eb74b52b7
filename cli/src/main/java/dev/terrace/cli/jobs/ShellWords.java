package dev.terrace.cli.jobs;

import java.util.List;
import java.util.stream.Collectors;

/** Joins CLI arguments into one {@code sh -c} command line that gives back the same argv. */
public final class ShellWords {
  private ShellWords() {}

  /** One argument is taken as a shell command as it is; several are quoted word by word. */
  public static String join(List<String> args) {
    if (args.size() == 1) {
      return args.get(0);
    }
    return args.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }

  static String quote(String word) {
    if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }
}
