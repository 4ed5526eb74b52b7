package dev.terrace.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.sdk.placement.Constraint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecValidatorTest {
  private final JobSpecValidator validator = new JobSpecValidator(List.of("*", "batch"));

  private static JobSpec job(String name, String command, String schedule, List<String> deps) {
    return new JobSpec(name, null, command, null, null, null, null, null, null, null, null, null, null, null,
        null, schedule, null, null, deps).withDefaults();
  }

  @Test
  void aGoodJobHasNoProblems() {
    assertThat(validator.problems(job("nightly-report", "echo hi", "0 2 * * *", null), Map.of())).isEmpty();
  }

  @Test
  void everyProblemIsListed() {
    JobSpec bad = new JobSpec("Bad_Name", null, null, -1.0, 1.0, null, null, null, null, "prod",
        List.of(new Constraint("rack", Constraint.Operator.LIKE, "[")), 0, -1, null, null, "61 * * * *",
        "Mars/Base", null, List.of("missing")).withDefaults();
    assertThat(validator.problems(bad, Map.of())).anySatisfy(p -> assertThat(p).contains("name 'Bad_Name'"))
        .anySatisfy(p -> assertThat(p).contains("needs a command"))
        .anySatisfy(p -> assertThat(p).contains("cpus must be above 0"))
        .anySatisfy(p -> assertThat(p).contains("mem must be at least 4"))
        .anySatisfy(p -> assertThat(p).contains("role 'prod'"))
        .anySatisfy(p -> assertThat(p).contains("bad regular expression"))
        .anySatisfy(p -> assertThat(p).contains("instances must be"))
        .anySatisfy(p -> assertThat(p).contains("retries must be"))
        .anySatisfy(p -> assertThat(p).contains("minute"))
        .anySatisfy(p -> assertThat(p).contains("Mars/Base"))
        .anySatisfy(p -> assertThat(p).contains("not both"))
        .anySatisfy(p -> assertThat(p).contains("dependency 'missing'"));
  }

  @Test
  void dependencyCyclesAreRefused() {
    JobSpec a = job("a", "true", null, List.of("b"));
    JobSpec b = job("b", "true", null, List.of("c"));
    JobSpec c = job("c", "true", null, List.of("a"));
    assertThat(validator.problems(c, Map.of("a", a, "b", b))).containsExactly("dependencies of c would form a cycle");
    assertThat(validator.problems(job("d", "true", null, List.of("d")), Map.of()))
        .contains("a job cannot depend on itself");
  }
}
