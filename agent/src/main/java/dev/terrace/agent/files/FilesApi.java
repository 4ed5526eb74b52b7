package dev.terrace.agent.files;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Mesos' files API over the sandboxes: {@code /files/browse}, {@code /files/read} (with
 * {@code offset=-1} giving the size, how log tails start) and {@code /files/download}. File I/O
 * runs on the worker pool.
 */
public final class FilesApi {
  /** Mesos caps a read; callers page with offsets. */
  private static final long MAX_READ = 1024 * 1024;

  private final SandboxPaths paths;
  private final WorkerExecutor pool;

  public FilesApi(SandboxPaths paths, WorkerExecutor pool) {
    this.paths = paths;
    this.pool = pool;
  }

  public void mount(Router router) {
    router.get("/files/read").handler(this::read);
    router.get("/files/read.json").handler(this::read);
    router.get("/files/browse").handler(this::browse);
    router.get("/files/browse.json").handler(this::browse);
    router.get("/files/download").handler(this::download);
    router.get("/files/download.json").handler(this::download);
  }

  private void read(RoutingContext ctx) {
    String path = ctx.queryParams().get("path");
    long offset;
    long length;
    try {
      offset = Long.parseLong(param(ctx, "offset", "0"));
      length = Long.parseLong(param(ctx, "length", "-1"));
    } catch (NumberFormatException e) {
      ctx.response().setStatusCode(400).end("Failed to parse offset/length: " + e.getMessage());
      return;
    }
    if (offset < -1) {
      ctx.response().setStatusCode(400).end("Negative offset provided: " + offset);
      return;
    }
    long off = offset;
    long len = length;
    pool.<Object>executeBlocking(() -> {
      Optional<Path> file = paths.resolve(path);
      if (file.isEmpty() || !Files.isRegularFile(file.get())) {
        return null;
      }
      try (RandomAccessFile raf = new RandomAccessFile(file.get().toFile(), "r")) {
        long size = raf.length();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (off == -1) {
          out.put("offset", size);
          out.put("data", "");
          return out;
        }
        long start = Math.min(off, size);
        long n = Math.min(MAX_READ, Math.max(0, size - start));
        if (len >= 0) {
          n = Math.min(n, len);
        }
        byte[] buf = new byte[(int) n];
        raf.seek(start);
        raf.readFully(buf);
        out.put("offset", start);
        out.put("data", new String(buf, StandardCharsets.UTF_8));
        return out;
      }
    }, false).onComplete(ar -> respond(ctx, ar.succeeded() ? ar.result() : null, ar.cause(), path));
  }

  private void browse(RoutingContext ctx) {
    String path = ctx.queryParams().get("path");
    pool.<Object>executeBlocking(() -> {
      Optional<Path> dir = paths.resolve(path);
      if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
        return null;
      }
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      try (Stream<Path> entries = Files.list(dir.get())) {
        for (Path p : entries.sorted().toList()) {
          PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
          ObjectNode e = out.addObject();
          e.put("path", path.replaceAll("/+$", "") + "/" + p.getFileName());
          e.put("nlink", ((Number) Files.getAttribute(p, "unix:nlink",
              java.nio.file.LinkOption.NOFOLLOW_LINKS)).longValue());
          e.put("size", a.size());
          e.put("mtime", a.lastModifiedTime().toMillis() / 1000);
          e.put("mode", modeString(a));
          e.put("uid", a.owner().getName());
          e.put("gid", a.group().getName());
        }
      }
      return out;
    }, false).onComplete(ar -> respond(ctx, ar.succeeded() ? ar.result() : null, ar.cause(), path));
  }

  private void download(RoutingContext ctx) {
    String path = ctx.queryParams().get("path");
    pool.executeBlocking(() -> paths.resolve(path).filter(Files::isRegularFile).orElse(null), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            ctx.response().setStatusCode(500).end(ar.cause().getMessage());
          } else if (ar.result() == null) {
            ctx.response().setStatusCode(404).end("No such file in a sandbox: " + path);
          } else {
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Disposition", "attachment; filename=\""
                    + ar.result().getFileName() + "\"")
                .sendFile(ar.result().toString());
          }
        });
  }

  private static void respond(RoutingContext ctx, Object body, Throwable err, String path) {
    if (err != null) {
      ctx.response().setStatusCode(err instanceof IOException ? 500 : 400).end(err.getMessage());
    } else if (body == null) {
      ctx.response().setStatusCode(404).end("No such file or directory in a sandbox: " + path);
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(body.toString());
    }
  }

  private static String param(RoutingContext ctx, String name, String dflt) {
    String v = ctx.queryParams().get(name);
    return v == null ? dflt : v;
  }

  private static String modeString(PosixFileAttributes a) {
    String type = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "-";
    return type + java.nio.file.attribute.PosixFilePermissions.toString(a.permissions());
  }
}
