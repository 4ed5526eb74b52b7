package dev.terrace.master.election;

import dev.terrace.common.model.MasterInfo;

/**
 * Takes part in the election of the leading master and publishes this master's {@link MasterInfo}
 * so that {@code MasterDetector}s can find it while it leads.
 */
public interface LeaderContender extends AutoCloseable {

  /**
   * Joins the election as {@code self}; {@code listener} hears about every change (see {@link
   * LeadershipListener} for the threading contract). Called once.
   */
  void start(MasterInfo self, LeadershipListener listener);

  /**
   * Whether this master leads right now. It turns false as soon as leadership is in doubt, which
   * may be a moment before {@link LeadershipListener#lost} runs, so check it before each
   * side-effecting action as well as listening.
   */
  boolean isLeader();

  /** Leaves the election, releasing leadership at once so a standby can take over. */
  @Override
  void close();
}
