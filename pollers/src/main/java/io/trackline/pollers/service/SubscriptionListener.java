package io.trackline.pollers.service;

import io.trackline.events.Subscription;

/**
 * What the subscriptions topic's consumer tells the scheduler, in order, from its one thread: this instance owns
 * the subscriptions of the partitions its consumer group assigned it, and only those.
 */
public interface SubscriptionListener {

    /** The partition is now this instance's; its subscriptions follow as {@link #upserted} calls. */
    void assigned(int partition);

    /** The partition's subscriptions have all been read (from the beginning of the compacted topic). */
    void caughtUp(int partition);

    /** A subscription of an owned partition, new or made again. */
    void upserted(int partition, Subscription subscription);

    /** A subscription of an owned partition ended (a tombstone). */
    void removed(int partition, String shipmentId);

    /** The partition is no longer this instance's: stop polling its subscriptions now. */
    void revoked(int partition);
}
