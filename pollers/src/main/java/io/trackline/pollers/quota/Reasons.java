package io.trackline.pollers.quota;

import java.util.Locale;

/**
 * Why an account cools down or stops, reduced to a few tag values so that metrics stay low-cardinality; the words
 * the carrier used are kept in PostgreSQL, the log and the health check.
 */
final class Reasons {

    static final int MAX_LENGTH = 200;

    private Reasons() {}

    /** Cool-down reasons as the {@code reason} tag of {@code trackline.pollers.quota.cooling.down}. */
    enum CoolDown {
        /** 429 with Retry-After (all24), MrSpeedy requests_limit_exceeded: for the period asked. */
        RATE_LIMITED("rate_limited"),
        /** 247Express APIKEY_LIMIT, a spent daily quota: until the carrier's next local midnight. */
        QUOTA_EXHAUSTED("quota_exhausted"),
        OTHER("other");

        final String tag;

        CoolDown(String tag) {
            this.tag = tag;
        }
    }

    /** Stop reasons as the {@code reason} tag of {@code trackline.pollers.quota.stopped}. */
    enum Stop {
        /** 401, APIKEY_NOT_FOUND, MISSING_APIKEY, invalid_auth_token, required_auth_token, a revoked key. */
        UNAUTHORIZED("unauthorized"),
        OTHER("other");

        final String tag;

        Stop(String tag) {
            this.tag = tag;
        }
    }

    static CoolDown coolDown(String reason) {
        String r = normal(reason);
        if (r.contains("APIKEY_LIMIT") || r.contains("QUOTA_EXHAUSTED") || r.contains("DAILY")) {
            return CoolDown.QUOTA_EXHAUSTED;
        }
        if (r.contains("429")
                || r.contains("RATE_LIMIT")
                || r.contains("REQUESTS_LIMIT_EXCEEDED")
                || r.contains("RETRY")
                || r.contains("TOO_MANY")) {
            return CoolDown.RATE_LIMITED;
        }
        return CoolDown.OTHER;
    }

    static Stop stop(String reason) {
        String r = normal(reason);
        if (r.contains("401")
                || r.contains("UNAUTHORI")
                || r.contains("APIKEY_NOT_FOUND")
                || r.contains("MISSING_APIKEY")
                || r.contains("AUTH_TOKEN")
                || r.contains("REVOKED")
                || r.contains("FORBIDDEN")
                || r.contains("403")) {
            return Stop.UNAUTHORIZED;
        }
        return Stop.OTHER;
    }

    /** The reason as stored and logged: one line, printable, bounded. */
    static String clean(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unspecified";
        }
        StringBuilder out = new StringBuilder(Math.min(reason.length(), MAX_LENGTH));
        reason.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c).forEach(out::appendCodePoint);
        String line = out.toString().strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH);
    }

    private static String normal(String reason) {
        return reason == null
                ? ""
                : reason.toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }
}
