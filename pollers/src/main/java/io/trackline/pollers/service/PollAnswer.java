package io.trackline.pollers.service;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one look-up came back with.
 *
 * @param outcome     what the carrier said, in Trackline's words
 * @param payload     the carrier's tracking answer exactly as received (only for {@link Outcome#TRACKED}, else null)
 * @param contentType its media type as sent
 * @param headers     selected response headers worth keeping with the raw record (never credentials)
 * @param retryAfter  how long the carrier asked us to wait (429 {@code Retry-After}), if it said
 * @param detail      the carrier's error code or a short reason, for logs and metrics (never a credential)
 */
public record PollAnswer(
        Outcome outcome,
        byte[] payload,
        String contentType,
        Map<String, String> headers,
        Optional<Duration> retryAfter,
        String detail) {

    public PollAnswer {
        Objects.requireNonNull(outcome, "outcome");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
        if (outcome == Outcome.TRACKED && payload == null) {
            throw new IllegalArgumentException("a tracked answer carries the payload");
        }
    }

    public static PollAnswer tracked(byte[] payload, String contentType, Map<String, String> headers) {
        return new PollAnswer(Outcome.TRACKED, payload, contentType, headers, Optional.empty(), null);
    }

    public static PollAnswer refused(Outcome outcome, String detail) {
        return new PollAnswer(outcome, null, null, Map.of(), Optional.empty(), detail);
    }

    public static PollAnswer rateLimited(Optional<Duration> retryAfter, String detail) {
        return new PollAnswer(Outcome.RATE_LIMITED, null, null, Map.of(), retryAfter, detail);
    }

    /** The kinds of answer the scheduler acts on differently. */
    public enum Outcome {
        /** The carrier answered with the shipment's tracking. */
        TRACKED,
        /** The carrier does not know this reference (all24 1350, 247Express ORDERCODE_NOT_FOUND, ...). */
        NOT_FOUND,
        /** The reference belongs to another account (247Express ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT). */
        FOREIGN,
        /** The carrier refused the reference or the request as malformed (all24 1000, 247Express ORDERCODE_*). */
        INVALID_REQUEST,
        /** 429 or a per-minute limit: the account cools down ({@link #retryAfter()} if the carrier said). */
        RATE_LIMITED,
        /** The carrier's daily quota is spent (247Express APIKEY_LIMIT): the account cools down. */
        QUOTA_EXHAUSTED,
        /** 401, an unknown or revoked key: the account stops until its configuration changes. */
        UNAUTHORIZED,
        /** 5xx, I/O or a carrier-side exception after the retries: try again later. */
        CARRIER_ERROR,
        /** Our own quota had no token for this attempt: nothing was sent. */
        NO_TOKEN
    }
}
