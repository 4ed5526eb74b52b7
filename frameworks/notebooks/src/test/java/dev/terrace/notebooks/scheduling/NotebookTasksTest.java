package dev.terrace.notebooks.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.HealthCheck;
import dev.terrace.common.model.Label;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.resources.Resources;
import dev.terrace.notebooks.NotebooksConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookTasksTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private final Offer offer = new Offer(OfferId.of("o1"), null, AgentId.of("a1"), "node7", null, null, List.of(),
      null, null, null);
  private final TaskInfo task = NotebookTasks.task(NotebooksConfig.defaults("zk://z/terrace", "zk://z/nb").notebook(),
      "*", "alice", TOKEN, NotebookTasks.taskId("alice", 3), offer, 31005);

  @Test
  void runsJupyterOnItsPortInTheUsersDirectoryWithTheTokenOnlyInTheEnvironment() {
    assertThat(task.taskId().value()).isEqualTo("notebook.alice.3");
    assertThat(NotebookTasks.userOf("notebook.alice.3")).contains("alice");
    assertThat(NotebookTasks.userOf("web.1.0")).isEmpty();
    assertThat(task.command().arguments()).contains("jupyter-notebook", "--port=31005", "--ip=0.0.0.0",
        "--notebook-dir=/notebook", "--allow-root", "--no-browser");
    assertThat(String.join(" ", task.command().arguments())).doesNotContain(TOKEN);
    assertThat(task.command().environment().variables())
        .anySatisfy(v -> assertThat(v.name() + "=" + v.value()).isEqualTo("JUPYTER_TOKEN=" + TOKEN));
    assertThat(task.container().imageName()).isNull();
    assertThat(task.container().volumes()).containsExactly(
        new ContainerInfo.Volume("/notebook", "notebooks/alice", ContainerInfo.Volume.Mode.RW, null));
    assertThat(Resources.of(task.resources()).ranges("ports")).singleElement()
        .satisfies(r -> assertThat(r.begin()).isEqualTo(31005).isEqualTo(r.end()));
  }

  @Test
  void isHealthCheckedOnApiAndLinkedWithoutItsToken() {
    HealthCheck h = task.healthCheck();
    assertThat(h.type()).isEqualTo(HealthCheck.Type.HTTP);
    assertThat(h.http().port()).isEqualTo(31005);
    assertThat(h.http().path()).isEqualTo("/api");
    assertThat(task.labels().labels()).contains(new Label(NotebookTasks.UI_LINK_LABEL, "http://node7:31005/"));
    assertThat(task.labels().toString()).doesNotContain(TOKEN);
  }
}
