package dev.jwal.core.log;

/**
 * Told when a {@link WalLog}'s subscriptions start and end, so that something outside the log
 * (the starter's lag gauges) can watch each one while it runs.
 */
public interface LogSubscriptionListener {

    /** A subscription was made; its thread is about to start. */
    void started(LogSubscription subscription);

    /** A subscription ended (cancelled, the log closed, its follower threw, or a compaction passed it). */
    void ended(LogSubscription subscription);
}
