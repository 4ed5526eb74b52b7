package dev.terrace.notebooks.scheduling;

import dev.terrace.notebooks.state.Notebook;

/**
 * A notebook as the API shows it. {@code token} is set only in the answers to the user's own
 * start and show calls, never in the list.
 *
 * @param url where the server answers (its login page asks for the token), once launched
 * @param loginUrl the url with the token, for the caller to open directly
 */
public record NotebookView(String user, String state, String url, String token, String loginUrl, String taskId,
    String hostname, Integer port, Long lastActivity, String stopReason) {

  static NotebookView of(Notebook n, boolean withToken) {
    String url = n.hostname() != null && n.port() != null ? NotebookTasks.url(n.hostname(), n.port()) : null;
    return new NotebookView(n.user(), n.state(), url, withToken ? n.token() : null,
        withToken && url != null ? url + "?token=" + n.token() : null, n.taskId(), n.hostname(), n.port(),
        n.lastActivity(), n.stopReason());
  }
}
