package dev.terrace.spark;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the cluster-mode tests need around {@code spark-submit}: a jar, a file server, the launcher. */
final class ClusterModeFixtures {
  private ClusterModeFixtures() {}

  /** The process's exit code and everything it printed. */
  record Submitted(int exitCode, String output) {}

  /** A jar at {@code jar} with {@code app}'s class files (and its nested classes'). */
  static Path jarOf(Path jar, Class<?> app) throws Exception {
    Path classes = Path.of(app.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = classes.resolve(app.getPackageName().replace('.', '/'));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches(app.getSimpleName() + "(\\$.*)?\\.class"))
          .toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Serves {@code file} for every GET under {@code /apps/} on a port the system picks. */
  static HttpServer serve(Path file) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/apps/", exchange -> {
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  /**
   * Runs the launcher behind {@code terrace spark-submit} with {@code args} on this JVM's classpath
   * without the test classes (as frameworks/spark/target/lib holds no application), and waits.
   */
  static Submitted submit(Path dir, String... args) throws Exception {
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "dev.terrace.spark.submit.SparkSubmit"));
    argv.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "submit", ".out");
    Process submit = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!submit.waitFor(360, TimeUnit.SECONDS)) {
        throw new AssertionError("spark-submit did not end within 360 s:\n" + Files.readString(out));
      }
    } finally {
      submit.destroyForcibly();
    }
    return new Submitted(submit.exitValue(), Files.readString(out));
  }
}
