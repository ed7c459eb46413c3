package io.trackline.pollers.repository;

import java.time.Instant;

/** One row of {@code pollers.poll_state} as stored (the service's {@code PollState}, column for column). */
public record PollStateRow(
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
        String retiredReason,
        Instant retiredAt,
        long version) {}
