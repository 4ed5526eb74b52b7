package dev.terrace.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.FrameworkId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-executor secrets, as Mesos' {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}: a JWT (HS256) whose
 * claims name the framework, executor and container ({@code fid}, {@code eid}, {@code cid}),
 * signed with a key of this agent. The key lives in the agent's work dir (which tasks cannot see),
 * so the tokens of executors that survive an agent restart stay valid.
 */
public final class ExecutorTokens {
  /** The environment variable an executor finds its token in (Mesos' name). */
  public static final String ENV = "MESOS_EXECUTOR_AUTHENTICATION_TOKEN";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  /** Whose token a bearer presented. */
  public record Claims(FrameworkId frameworkId, ExecutorId executorId, String containerId) {}

  private final byte[] key;

  ExecutorTokens(byte[] key) {
    this.key = key.clone();
  }

  /** The key in {@code file}, made (32 random bytes, owner-only) on first use. Blocking. */
  public static ExecutorTokens load(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, fresh, StandardOpenOption.WRITE);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    byte[] key = Files.readAllBytes(file);
    if (key.length < 32) {
      throw new IOException("executor token key " + file + " is too short; remove it to make a new one");
    }
    return new ExecutorTokens(key);
  }

  /** The token of the executor {@code executorId} of {@code frameworkId} in {@code containerId}. */
  public String issue(FrameworkId frameworkId, ExecutorId executorId, String containerId) {
    ObjectNode claims = JSON.createObjectNode();
    claims.put("fid", frameworkId.value());
    claims.put("eid", executorId.value());
    claims.put("cid", containerId);
    String payload;
    try {
      payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String signed = HEADER + "." + payload;
    return signed + "." + B64.encodeToString(sign(signed));
  }

  /** The claims of {@code token} if this agent signed it, else empty (forged, altered, garbage). */
  public Optional<Claims> verify(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(HEADER)) {
      return Optional.empty();
    }
    try {
      byte[] given = Base64.getUrlDecoder().decode(parts[2]);
      if (!MessageDigest.isEqual(given, sign(parts[0] + "." + parts[1]))) {
        return Optional.empty();
      }
      JsonNode c = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return Optional.of(new Claims(FrameworkId.of(c.path("fid").asText()),
          ExecutorId.of(c.path("eid").asText()), c.path("cid").asText()));
    } catch (IllegalArgumentException | IOException e) {
      return Optional.empty();
    }
  }

  private byte[] sign(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
