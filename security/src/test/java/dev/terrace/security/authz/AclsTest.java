package dev.terrace.security.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AclsTest {
  private static Acls parse(String json) {
    return Acls.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void firstMatchingRuleDecidesAndPermissiveDecidesTheRest() {
    Acls acls = parse("""
        {"run_tasks": [
          {"principals": {"values": ["ops"]}, "users": {"values": ["root"]}},
          {"principals": {"type": "ANY"}, "users": {"values": ["root"]}, "comment": "ignored"},
          {"principals": {"values": ["guest"]}, "users": {"type": "NONE"}}
        ]}""".replace(", \"comment\": \"ignored\"", ""));
    assertThat(acls.allows("ops", Action.RUN_TASKS, "root")).isTrue();
    // The second rule matches everyone else for root: ANY principal, user root, allowed.
    assertThat(acls.allows("dev", Action.RUN_TASKS, "root")).isTrue();
    assertThat(acls.allows("guest", Action.RUN_TASKS, "nobody")).isFalse();
    assertThat(acls.allows("dev", Action.RUN_TASKS, "nobody")).isTrue(); // permissive by default
    assertThat(acls.allows(null, Action.RUN_TASKS, "nobody")).isTrue();
  }

  @Test
  void notPermissiveDeniesWhatNoRuleAllows() {
    Acls acls = parse("""
        {"permissive": false,
         "register_frameworks": [{"principals": {"values": ["fw"]}, "roles": {"values": ["batch"]}}],
         "teardown_frameworks": [{"principals": {"type": "ANY"}, "framework_principals": {"type": "NONE"}}]}""");
    assertThat(acls.allows("fw", Action.REGISTER_FRAMEWORKS, "batch")).isTrue();
    assertThat(acls.allows("fw", Action.REGISTER_FRAMEWORKS, "prod")).isFalse();
    assertThat(acls.allows(null, Action.REGISTER_FRAMEWORKS, "batch")).isFalse();
    assertThat(acls.allows("fw", Action.TEARDOWN_FRAMEWORKS, "fw")).isFalse();
    assertThat(acls.allows("fw", Action.UPDATE_WEIGHTS, "batch")).isFalse();
  }

  @Test
  void theCoarseQuestionAboutEveryObjectMatchesOnlyAnyOrNone() {
    Acls acls = parse("""
        {"view_frameworks": [
          {"principals": {"values": ["ops"]}, "users": {"type": "ANY"}},
          {"principals": {"type": "ANY"}, "users": {"values": ["alice"]}},
          {"principals": {"type": "ANY"}, "users": {"type": "NONE"}}]}""");
    assertThat(acls.allows("ops", Action.VIEW_FRAMEWORKS, null)).isTrue();
    assertThat(acls.allows("dev", Action.VIEW_FRAMEWORKS, null)).isFalse();
  }

  @Test
  void malformedAclsAreRefusedWithTheirPlace() {
    assertThatThrownBy(() -> parse("{\"run_task\": []}")).hasMessageContaining("unknown ACL 'run_task'");
    assertThatThrownBy(() -> parse("{\"run_tasks\": [{\"principals\": {\"type\": \"ANY\"}}]}"))
        .hasMessageContaining("run_tasks[0].users is missing");
    assertThatThrownBy(() -> parse("{\"run_tasks\": [{\"principals\": {\"type\": \"SOME\"}, \"users\": {\"type\": \"ANY\"}}]}"))
        .hasMessageContaining("must be ANY or NONE");
    assertThatThrownBy(() -> parse("{\"permissive\": \"no\"}")).hasMessageContaining("'permissive'");
    assertThatThrownBy(() -> parse("[]")).hasMessageContaining("JSON object");
  }

  @Test
  void denialsGiveTheReason() {
    Authorizer a = new Authorizer(parse("{\"permissive\": false}"));
    assertThat(a.deny("ops", Action.RUN_TASKS, "root"))
        .contains("Principal 'ops' is not authorized to run tasks (users: 'root')");
    assertThat(a.deny(null, Action.VIEW_TASKS, null))
        .contains("An unauthenticated caller is not authorized to view tasks");
  }
}
