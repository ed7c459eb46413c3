package io.trackline.pollers.service;

import io.trackline.events.Subscription;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One owned subscription as the scheduler holds it: the subscription, its poll state, the latest status learned of
 * it, and the adaptive policy's running integrals. Touched only under the scheduler's lock.
 */
public final class Tracked {

    private final int partition;
    private Subscription subscription;
    private PollState state;
    private ShipmentStatus status;

    // The adaptive index since lastKnownCurrent(): Λ = ∫ λ(s) ds and M = ∫ (s - from) λ(s) ds, in hours, integrated
    // up to accruedTo; the index at t is (t - from)·Λ - M. Recomputed from the start when what λ depends on changes.
    double lambda;
    double moment;
    Instant accrualFrom;
    Instant accruedTo;
    Object accrualKey;

    // For the detection-delay metric: when a look-up last found the answer changed, and the look-up before it.
    Instant changedAt;
    Instant polledBeforeChange;

    public Tracked(int partition, Subscription subscription, PollState state) {
        this.partition = partition;
        this.subscription = Objects.requireNonNull(subscription);
        this.state = Objects.requireNonNull(state);
    }

    public int partition() {
        return partition;
    }

    public Subscription subscription() {
        return subscription;
    }

    void subscription(Subscription s) {
        this.subscription = s;
    }

    public String shipmentId() {
        return state.shipmentId();
    }

    public PollState state() {
        return state;
    }

    void state(PollState s) {
        this.state = s;
    }

    /** The latest status learned from trackline.events.v1, or null when none yet. */
    public ShipmentStatus status() {
        return status;
    }

    void status(ShipmentStatus s) {
        this.status = s;
    }

    /** When the last news came (a callback or a poll, through trackline.events.v1), or null. */
    public Instant lastNewsAt() {
        return status == null || status.lastEventAt() == null
                ? null
                : status.lastEventAt().toInstant();
    }

    /**
     * Since when Trackline's picture of the shipment is known to be current: the last look-up or the last news,
     * whichever is later; before either, the subscription's time.
     */
    public Instant lastKnownCurrent() {
        Instant t = state.lastPolledAt() == null ? state.subscribedAt() : state.lastPolledAt();
        Instant news = lastNewsAt();
        return news != null && news.isAfter(t) ? news : t;
    }

    /** The last look-up, or the subscription's time before the first: what round-robin and fixed cycles go by. */
    public Instant lastKnownCurrentByPoll() {
        return state.lastPolledAt() == null ? state.subscribedAt() : state.lastPolledAt();
    }

    /** Since when the subscription has been alive without news: the later of subscribing and the last news. */
    public Instant ageFrom() {
        Instant t = state.subscribedAt();
        Instant news = lastNewsAt();
        if (news != null && news.isAfter(t)) {
            t = news;
        }
        Instant changed = state.lastChangedAt();
        return changed != null && changed.isAfter(t) ? changed : t;
    }

    public OffsetDateTime eta() {
        return status == null ? null : status.eta();
    }

    public boolean isFinal() {
        return status != null && status.isFinal();
    }
}
