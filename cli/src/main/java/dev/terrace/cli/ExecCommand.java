package dev.terrace.cli;

import dev.terrace.cli.security.ClientCredentials;
import dev.terrace.cli.exec.LocalTerminal;
import dev.terrace.cli.exec.RemoteExec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code terrace exec}: run a command inside a running task, as {@code docker exec -i} does. */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description = {
        "Run a command inside a running task (its namespaces, root filesystem and cgroup).",
        "Our stdin goes to the command, its stdout and stderr come to ours, and its exit code",
        "becomes ours (125 when it could not be run)."},
    footer = {"", "Examples: terrace exec my-task-1 -- sh -c 'ps; cat /etc/hostname'",
        "          terrace exec -t my-task-1 -- sh"})
public class ExecCommand implements Callable<Integer> {
  static final int NOT_RUN = 125;

  @Option(names = "--master", paramLabel = "URL",
      defaultValue = "${env:TERRACE_MASTER:-http://127.0.0.1:5050}",
      description = "Master: http://host:port (env TERRACE_MASTER, default ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--env", paramLabel = "K=V", description = "Environment variable for the command; repeatable.")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(names = {"-t", "--tty"}, description = {"Run the command on a terminal of our window's size",
      "(our terminal is raw meanwhile: Ctrl-C goes to the command), as `docker exec -it`."})
  boolean tty;

  @Parameters(index = "0", paramLabel = "TASK_ID", description = "The running task.")
  String taskId;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command, after --.")
  List<String> command;

  @Override
  public Integer call() {
    if (!master.startsWith("http://") && !master.startsWith("https://")) {
      System.err.println("terrace: exec needs an http://host:port master URL, not " + master);
      return NOT_RUN;
    }
    HttpClient http = ClientCredentials.trust(HttpClient.newBuilder()).followRedirects(HttpClient.Redirect.NORMAL).build();
    RemoteExec exec = new RemoteExec(http);
    try {
      RemoteExec.Target target = exec.locate(URI.create(master.replaceAll("/+$", "")), taskId);
      LocalTerminal terminal = tty ? new LocalTerminal() : null;
      if (terminal != null && terminal.enterRaw()) {
        Runtime.getRuntime().addShutdownHook(new Thread(terminal::restore, "terrace-exec-restore-tty"));
      }
      try {
        int code = exec.run(target, taskId, command, env, terminal, System.in, System.out, System.err);
        System.out.flush();
        return code;
      } finally {
        if (terminal != null) {
          terminal.restore();
        }
      }
    } catch (RemoteExec.ExecException e) {
      System.err.println("terrace: " + e.getMessage());
      return NOT_RUN;
    } catch (IOException e) {
      System.err.println("terrace: cannot reach the master at " + master + ": " + e);
      return NOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NOT_RUN;
    }
  }
}
