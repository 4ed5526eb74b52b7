package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's image cache over HTTP, for {@code terrace image}:
 *
 * <ul>
 *   <li>{@code GET /images}: the cached images with size, last use and whether a container uses
 *       them, and the bytes of the whole store;
 *   <li>{@code POST /images/pull} {@code {"reference": ...}}: pull and unpack;
 *   <li>{@code GET /images/progress?reference=...}: bytes done and expected of a pull in
 *       progress (404 when none runs);
 *   <li>{@code POST /images/import}: the request body is a {@code docker save} archive or an OCI
 *       layout tar; it is streamed to a file in the store, imported and removed;
 *   <li>{@code DELETE /images?reference=...}: remove one image (409 while a container uses it);
 *   <li>{@code POST /images/prune}: remove every image no container uses.
 * </ul>
 *
 * Everything blocking runs on the worker pool.
 */
public final class ImageApi {
  private static final Logger LOG = LoggerFactory.getLogger(ImageApi.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Vertx vertx;
  private final ImageService images;
  private final WorkerExecutor pool;
  private final Path uploads;

  public ImageApi(Vertx vertx, ImageService images, WorkerExecutor pool) {
    this.vertx = vertx;
    this.images = images;
    this.pool = pool;
    this.uploads = images.uploads();
  }

  public void mount(Router router) {
    router.get("/images").handler(ctx -> reply(ctx, () -> list()));
    router.post("/images/pull").handler(ctx -> ctx.request().body().onSuccess(body -> {
      String ref;
      try {
        ref = new JsonObject(body).getString("reference");
      } catch (RuntimeException e) {
        ref = null;
      }
      if (ref == null || ref.isBlank()) {
        error(ctx, 400, "expected a JSON body {\"reference\": \"IMAGE\"}");
        return;
      }
      String reference = ref;
      reply(ctx, () -> summary(images.pull(reference)));
    }));
    router.post("/images/import").handler(this::importArchive);
    router.get("/images/progress").handler(ctx -> {
      String ref = ctx.request().getParam("reference");
      var progress = ref == null ? java.util.Optional.<PullProgress>empty()
          : images.pullProgress(ref);
      if (progress.isEmpty()) {
        error(ctx, 404, "no pull of " + ref + " in progress");
        return;
      }
      long[] t = progress.get().totals();
      ObjectNode n = F.objectNode();
      n.put("done_bytes", t[0]);
      n.put("total_bytes", t[1]);
      n.put("message", progress.get().describe());
      ctx.response().putHeader("Content-Type", "application/json").end(n.toString());
    });
    router.delete("/images").handler(ctx -> {
      String ref = ctx.request().getParam("reference");
      if (ref == null || ref.isBlank()) {
        error(ctx, 400, "missing ?reference=IMAGE");
        return;
      }
      reply(ctx, () -> {
        long freed = images.remove(ref);
        ObjectNode n = F.objectNode();
        n.putArray("removed").add(ImageReference.parse(ref).toString());
        n.put("freed_bytes", freed);
        return n;
      });
    });
    router.post("/images/prune").handler(ctx -> reply(ctx, () -> {
      long before = images.diskUsage();
      List<String> removed = images.prune();
      ObjectNode n = F.objectNode();
      removed.forEach(n.putArray("removed")::add);
      n.put("freed_bytes", Math.max(0, before - images.diskUsage()));
      return n;
    }));
  }

  private ObjectNode list() throws IOException {
    ObjectNode n = F.objectNode();
    var arr = n.putArray("images");
    for (ImageSummary s : images.list()) {
      arr.add(summary(s));
    }
    n.put("disk_bytes", images.diskUsage());
    return n;
  }

  static ObjectNode summary(ImageSummary s) {
    ObjectNode i = F.objectNode();
    i.put("reference", s.reference());
    i.put("manifest", s.manifest());
    i.put("source", s.source());
    i.put("size_bytes", s.sizeBytes());
    i.put("last_used", Instant.ofEpochMilli(s.lastUsed()).toString());
    i.put("in_use", s.inUse());
    return i;
  }

  private void importArchive(RoutingContext ctx) {
    ctx.request().pause();
    Path file = uploads.resolve("import-" + UUID.randomUUID() + ".tar");
    vertx.fileSystem().open(file.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
        .compose(f -> ctx.request().pipeTo(f))
        .onFailure(e -> {
          vertx.fileSystem().delete(file.toString());
          error(ctx, 400, "cannot receive the archive: " + e.getMessage());
        })
        .onSuccess(v -> reply(ctx, () -> {
          try {
            ObjectNode n = F.objectNode();
            images.importArchive(file).forEach(n.putArray("imported")::add);
            return n;
          } finally {
            Files.deleteIfExists(file);
          }
        }));
  }

  private void reply(RoutingContext ctx, Callable<ObjectNode> work) {
    Future<ObjectNode> f = pool.executeBlocking(work, false);
    f.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().toString());
        return;
      }
      Throwable e = ar.cause();
      int status = e instanceof IllegalArgumentException ? 400
          : e instanceof NoSuchFileException ? 404
          : e instanceof ImageInUseException ? 409
          : e instanceof IOException ? 422 : 500;
      if (status == 500) {
        LOG.warn("{} {} failed", ctx.request().method(), ctx.request().path(), e);
      }
      error(ctx, status, e.getMessage());
    });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ObjectNode n = F.objectNode();
    n.put("error", String.valueOf(message));
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(n.toString());
  }
}
