package dev.terrace.agent.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  private static final byte[] DATA = "hello, layer".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.of(DATA);

  @TempDir Path dir;

  @Test
  void storesUnderSha256HexAndReusesThePresentBlob() throws Exception {
    ContentStore store = new ContentStore(dir);
    AtomicInteger opens = new AtomicInteger();
    ContentStore.Source source = () -> {
      opens.incrementAndGet();
      return new ByteArrayInputStream(DATA);
    };
    Path p = store.fetch(DIGEST, DATA.length, source);
    assertThat(p).isEqualTo(dir.resolve("sha256").resolve(DIGEST.hex())).hasBinaryContent(DATA);
    assertThat(store.fetch(DIGEST, DATA.length, source)).isEqualTo(p);
    assertThat(opens).hasValue(1);
    assertThat(store.contains(DIGEST)).isTrue();
  }

  @Test
  void wrongBytesAreNeverStored() throws Exception {
    ContentStore store = new ContentStore(dir);
    byte[] other = "something else".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> store.fetch(DIGEST, -1, () -> new ByteArrayInputStream(other)))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("expected " + DIGEST);
    assertThat(store.contains(DIGEST)).isFalse();
    assertThat(dir.resolve("tmp")).isEmptyDirectory();
  }

  @Test
  void sizeMismatchAndBrokenStreamsLeaveNothing() throws Exception {
    ContentStore store = new ContentStore(dir);
    assertThatThrownBy(() -> store.fetch(DIGEST, DATA.length + 1,
        () -> new ByteArrayInputStream(DATA))).hasMessageContaining("ended after");
    assertThatThrownBy(() -> store.fetch(DIGEST, 3, () -> new ByteArrayInputStream(DATA)))
        .hasMessageContaining("larger than");
    assertThatThrownBy(() -> store.fetch(DIGEST, DATA.length, () -> new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ < 4) {
          return 'x';
        }
        throw new IOException("connection reset");
      }
    })).hasMessageContaining("connection reset");
    assertThat(store.contains(DIGEST)).isFalse();
    assertThat(dir.resolve("tmp")).isEmptyDirectory();
    // A later, good download still works.
    store.put(DIGEST, DATA);
    assertThat(store.path(DIGEST)).hasBinaryContent(DATA);
  }

  @Test
  void concurrentFetchesOfOneBlobDownloadOnce() throws Exception {
    ContentStore store = new ContentStore(dir);
    AtomicInteger opens = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ContentStore.Source slow = () -> {
      opens.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      return new ByteArrayInputStream(DATA);
    };
    int callers = 6;
    List<Thread> threads = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(callers, r -> {
      Thread t = new Thread(r);
      threads.add(t);
      return t;
    });
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> store.fetch(DIGEST, DATA.length, slow)));
      }
      // Every caller is parked: one in the source, the others waiting for its result.
      await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() == callers
          && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
      release.countDown();
      for (Future<Path> f : results) {
        assertThat(f.get()).hasBinaryContent(DATA);
      }
      assertThat(opens).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void digestsAreStrict() {
    assertThatThrownBy(() -> Digest.parse("sha256:../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.parse("sha512:" + "a".repeat(128)))
        .hasMessageContaining("only sha256");
    assertThat(Digest.parse(DIGEST.toString())).isEqualTo(DIGEST);
  }
}
