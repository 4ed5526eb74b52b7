package dev.terrace.bench.soak;

/**
 * {@code bench/run soak [--minutes 10] [--agents 1000] [--frameworks 50] [--masters 3] [--seed N]
 * [--tasks-per-framework 8] [--master-kill-seconds 40] [--agent-kill-seconds 2]}: a bounded run with
 * masters and agents killed at random (see {@link SoakRun}). A human summary on stderr, the JSON
 * summary as the last line on stdout; exit status 1 if an invariant or the heap bound failed.
 */
public final class SoakBenchmark {
  private SoakBenchmark() {}

  public static void main(String[] args) throws Exception {
    SoakOptions options;
    try {
      options = SoakOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench/run soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    SoakResult result = new SoakRun(options).run();
    System.err.println(result.summary());
    System.out.println(result.json());
    System.exit(result.invariantsHold() && result.heapWithinBound() ? 0 : 1);
  }
}
