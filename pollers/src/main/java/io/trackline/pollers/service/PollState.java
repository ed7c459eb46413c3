package io.trackline.pollers.service;

import io.trackline.events.Subscription;
import java.time.Instant;
import java.util.Objects;

/**
 * What the pollers remember of one subscription between polls, in PostgreSQL so that the next owner of its partition
 * (after a rebalance or a restart) goes on where the previous one stopped. Every write is a compare-and-set on
 * {@link #version}: an instance that lost the partition without noticing cannot overwrite, nor poll again, what the
 * new owner did.
 *
 * @param subscribedAt  the subscription's {@link Subscription#subscribedAt()} as this state knew it; a later one
 *                      means a new subscription and ends a retirement
 * @param lastPolledAt  when the carrier last answered a look-up (any answer), null before the first
 * @param lastOutcome   that answer's {@link PollAnswer.Outcome}, lower case
 * @param lastDigest    {@code ContentDigest} of the last answer published to trackline.raw.v1
 * @param lastChangedAt when a look-up last brought an answer that differed from the one before (and was published)
 * @param nextDue       not polled before this (backing off after misses or errors); null: no wait
 * @param misses        not-found or refused answers in a row
 * @param firstMissAt   when the first of them came
 * @param errors        carrier errors in a row
 * @param retired       why it is no longer polled, null while it is
 * @param retiredAt     since when
 * @param version       incremented by every write
 */
public record PollState(
        String shipmentId,
        Instant subscribedAt,
        Instant lastPolledAt,
        String lastOutcome,
        String lastDigest,
        Instant lastChangedAt,
        Instant nextDue,
        int misses,
        Instant firstMissAt,
        int errors,
        RetireReason retired,
        Instant retiredAt,
        long version) {

    public PollState {
        Objects.requireNonNull(shipmentId, "shipmentId");
        Objects.requireNonNull(subscribedAt, "subscribedAt");
    }

    /** The state of a subscription never polled. */
    public static PollState fresh(Subscription subscription) {
        return new PollState(
                subscription.shipmentId(),
                subscription.subscribedAt().toInstant(),
                null,
                null,
                null,
                null,
                null,
                0,
                null,
                0,
                null,
                null,
                0);
    }

    public boolean isRetired() {
        return retired != null;
    }

    /** The same state one version later: what the database holds after a successful write of this one. */
    public PollState written() {
        return withVersion(version + 1);
    }

    public PollState withVersion(long v) {
        return new PollState(
                shipmentId,
                subscribedAt,
                lastPolledAt,
                lastOutcome,
                lastDigest,
                lastChangedAt,
                nextDue,
                misses,
                firstMissAt,
                errors,
                retired,
                retiredAt,
                v);
    }

    public PollState retire(RetireReason reason, Instant at) {
        return new PollState(
                shipmentId,
                subscribedAt,
                lastPolledAt,
                lastOutcome,
                lastDigest,
                lastChangedAt,
                nextDue,
                misses,
                firstMissAt,
                errors,
                reason,
                at,
                version);
    }

    /** Polled again from scratch: a new subscription of the same shipment after a retirement. */
    public PollState resubscribed(Instant newSubscribedAt) {
        return new PollState(
                shipmentId,
                newSubscribedAt,
                lastPolledAt,
                lastOutcome,
                lastDigest,
                lastChangedAt,
                null,
                0,
                null,
                0,
                null,
                null,
                version);
    }

    /** After a look-up that the carrier answered with tracking; {@code digest} is the new last published one. */
    public PollState tracked(Instant at, String digest, boolean changed) {
        return new PollState(
                shipmentId,
                subscribedAt,
                at,
                "tracked",
                digest,
                changed ? at : lastChangedAt,
                null,
                0,
                null,
                0,
                retired,
                retiredAt,
                version);
    }

    /** After a not-found or refused answer: wait {@code backoff}. */
    public PollState missed(Instant at, String outcome, Instant due) {
        return new PollState(
                shipmentId,
                subscribedAt,
                at,
                outcome,
                lastDigest,
                lastChangedAt,
                due,
                misses + 1,
                firstMissAt == null ? at : firstMissAt,
                0,
                retired,
                retiredAt,
                version);
    }

    /** After a carrier error (or a publish that failed): try again at {@code due}; what was known stays. */
    public PollState failed(String outcome, Instant due) {
        return new PollState(
                shipmentId,
                subscribedAt,
                lastPolledAt,
                outcome,
                lastDigest,
                lastChangedAt,
                due,
                misses,
                firstMissAt,
                errors + 1,
                retired,
                retiredAt,
                version);
    }
}
