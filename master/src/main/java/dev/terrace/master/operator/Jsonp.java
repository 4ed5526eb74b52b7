package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Mesos' {@code jsonp} query parameter on the JSON endpoints: {@code ?jsonp=cb} answers
 * {@code cb(<json>);} as {@code application/javascript}. The callback must be a (dotted) JavaScript
 * identifier, so the parameter cannot inject script.
 */
public final class Jsonp {
  private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private Jsonp() {}

  /** Ends the response with {@code body}, wrapped when the request names a jsonp callback. */
  public static void send(RoutingContext ctx, JsonNode body) {
    send(ctx, body.toString());
  }

  /** As {@link #send(RoutingContext, JsonNode)}, for a document already rendered as UTF-8 bytes. */
  public static void send(RoutingContext ctx, byte[] json) {
    if (ctx.queryParams().get("jsonp") != null) {
      send(ctx, new String(json, java.nio.charset.StandardCharsets.UTF_8));
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(json));
  }

  public static void send(RoutingContext ctx, String json) {
    String callback = ctx.queryParams().get("jsonp");
    if (callback == null) {
      ctx.response().putHeader("Content-Type", "application/json").end(json);
      return;
    }
    if (!CALLBACK.matcher(callback).matches()) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain")
          .end("'jsonp' must name a JavaScript function");
      return;
    }
    ctx.response().putHeader("Content-Type", "application/javascript")
        .end(callback + "(" + json + ");");
  }
}
