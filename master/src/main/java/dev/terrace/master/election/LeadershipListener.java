package dev.terrace.master.election;

/**
 * Told when this master gains or loses leadership.
 *
 * <p>Contract: callbacks come one at a time, in order, on a contender thread (never the caller of
 * {@link LeaderContender#start}); they must not block. {@link #lost} means stop acting NOW: after
 * it returns, this master must send no offer, write nothing to the registry and kill no task,
 * because another master may already be leading. {@link #elected} may follow {@link #lost} again
 * (for example after a ZooKeeper connection blip); treat it as a new term and rebuild state
 * rather than resuming the old one.
 */
public interface LeadershipListener {

  /** This master now leads. */
  void elected();

  /** This master no longer leads; {@code reason} is for logs and operators. */
  void lost(String reason);
}
