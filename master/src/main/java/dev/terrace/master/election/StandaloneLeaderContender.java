package dev.terrace.master.election;

import dev.terrace.common.model.MasterInfo;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The only master there is: elected as soon as it starts, until closed. */
public final class StandaloneLeaderContender implements LeaderContender {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneLeaderContender.class);

  private final ExecutorService callbacks = ContenderThreads.newCallbackThread("leader-contender");
  private volatile boolean leader;
  private LeadershipListener listener;

  @Override
  public synchronized void start(MasterInfo self, LeadershipListener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = listener;
    leader = true;
    LOG.info("standalone master {} leads", self.id());
    callbacks.execute(listener::elected);
  }

  @Override
  public boolean isLeader() {
    return leader;
  }

  @Override
  public synchronized void close() {
    if (leader) {
      leader = false;
      LeadershipListener l = listener;
      callbacks.execute(() -> l.lost("contender closed"));
    }
    callbacks.shutdown(); // queued callbacks still run, in order
  }
}
