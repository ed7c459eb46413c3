package io.trackline.store.service;

import static io.trackline.store.service.UnstorableEventException.EVENT_TIME_OUT_OF_RANGE;
import static io.trackline.store.service.UnstorableEventException.INVALID_TEXT;
import static io.trackline.store.service.UnstorableEventException.TOO_LARGE;
import static io.trackline.store.service.UnstorableEventException.UNREADABLE;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.Location;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * What a canonical event must be for status-store to hold it, checked before the database: cheap (one pass over its
 * strings), and with a clear reason. PostgreSQL's own refusal stays the safety net for anything these miss
 * ({@link WriteFailures}). One rule cannot be left to the database: the driver's UTF-8 encoder turns an unpaired
 * surrogate into {@code ?}, which would be stored altered without an error (or, next to some characters, into bytes
 * PostgreSQL refuses).
 */
public final class EventChecks {

    /**
     * Longest identifier (event id, shipment id, account, reference), in UTF-8 bytes: far above any carrier's, and
     * low enough that every B-tree index over them stays under PostgreSQL's limit of about 2,700 bytes a row.
     */
    public static final int MAX_IDENTIFIER_BYTES = 512;
    /**
     * Times must lie in the years 0001–9999 as written (ISO-8601's four-digit years). PostgreSQL's timestamptz holds
     * 4713 BC to 294276 AD, but the stored event JSON is read back as text (the ETA, when a late event makes the
     * writer decide a status again), and PostgreSQL reads neither year 0000, negative years nor a sign before the
     * year, nor offsets beyond {@link #MAX_OFFSET_SECONDS}. The normalizer's plausibility window is narrower still;
     * this is what storage can hold.
     */
    public static final int MIN_YEAR = 1;

    public static final int MAX_YEAR = 9999;
    /**
     * Largest UTC offset PostgreSQL reads in a time's text (±15:59:59; Java allows ±18:00). Every offset in use today
     * lies within -12:00 and +14:00.
     */
    public static final int MAX_OFFSET_SECONDS = 15 * 3600 + 59 * 60 + 59;

    private EventChecks() {}

    /** Why a record of {@code bytes} bytes is too large to be an event, or empty when it is not. */
    public static Optional<UnstorableEventException> size(int bytes, int maxBytes) {
        if (bytes <= maxBytes) {
            return Optional.empty();
        }
        return Optional.of(new UnstorableEventException(
                TOO_LARGE, "value of " + bytes + " bytes, more than the " + maxBytes + " bytes an event may have"));
    }

    /** Why {@code e} cannot be stored, or empty when it can. */
    public static Optional<UnstorableEventException> check(CanonicalEvent e) {
        if (e == null) {
            return unreadable("null");
        }
        String missing = e.eventId() == null
                ? "eventId"
                : e.shipmentId() == null
                        ? "shipmentId"
                        : e.carrier() == null
                                ? "carrier"
                                : e.account() == null
                                        ? "account"
                                        : e.reference() == null
                                                ? "reference"
                                                : e.status() == null
                                                        ? "status"
                                                        : e.occurredAt() == null ? "occurredAt" : null;
        if (missing != null) {
            return unreadable("no " + missing);
        }
        String problem = identifier("eventId", e.eventId());
        problem = problem != null ? problem : identifier("shipmentId", e.shipmentId());
        problem = problem != null ? problem : identifier("account", e.account());
        problem = problem != null ? problem : identifier("reference", e.reference());
        if (problem != null) {
            return Optional.of(new UnstorableEventException(TOO_LARGE, problem));
        }
        problem = text(e);
        if (problem != null) {
            return Optional.of(new UnstorableEventException(INVALID_TEXT, problem));
        }
        problem = time("occurredAt", e.occurredAt());
        problem = problem != null ? problem : time("eta", e.eta());
        if (problem != null) {
            return Optional.of(new UnstorableEventException(EVENT_TIME_OUT_OF_RANGE, problem));
        }
        return Optional.empty();
    }

    private static Optional<UnstorableEventException> unreadable(String why) {
        return Optional.of(new UnstorableEventException(UNREADABLE, "not a canonical event: " + why));
    }

    private static String identifier(String field, String value) {
        if (value.length() * 3 <= MAX_IDENTIFIER_BYTES) { // no UTF-16 unit takes more than 3 bytes
            return null;
        }
        long bytes = utf8Length(value);
        return bytes <= MAX_IDENTIFIER_BYTES
                ? null
                : field + " of " + bytes + " bytes, more than the " + MAX_IDENTIFIER_BYTES + " an identifier may have";
    }

    private static String time(String field, OffsetDateTime value) {
        if (value == null) {
            return null;
        }
        if (value.getYear() < MIN_YEAR || value.getYear() > MAX_YEAR) {
            return field + " in year " + value.getYear() + ", outside the years " + MIN_YEAR + "-" + MAX_YEAR
                    + " that status-store holds";
        }
        if (Math.abs(value.getOffset().getTotalSeconds()) > MAX_OFFSET_SECONDS) {
            return field + " with the offset " + value.getOffset() + ", beyond the +-15:59:59 PostgreSQL reads";
        }
        return null;
    }

    /** The first text field PostgreSQL cannot hold (or identifier with a control character), described, or null. */
    private static String text(CanonicalEvent e) {
        String p = identifierText("eventId", e.eventId());
        p = p != null ? p : identifierText("shipmentId", e.shipmentId());
        p = p != null ? p : identifierText("account", e.account());
        p = p != null ? p : identifierText("reference", e.reference());
        p = p != null ? p : text("rawCode", e.rawCode());
        p = p != null ? p : text("rawText", e.rawText());
        p = p != null ? p : text("rawTime", e.rawTime());
        p = p != null ? p : text("mappingVersion", e.mappingVersion());
        p = p != null ? p : text("rawField", e.rawField());
        if (p == null && e.references() != null) {
            for (Map.Entry<String, String> ref : e.references().entrySet()) {
                p = text("a references key", ref.getKey());
                p = p != null ? p : text("references value", ref.getValue());
                if (p != null) {
                    break;
                }
            }
        }
        Location l = e.location();
        if (p == null && l != null) {
            p = text("location.name", l.name());
            p = p != null ? p : text("location.area", l.area());
            p = p != null ? p : text("location.postcode", l.postcode());
            p = p != null ? p : text("location.address", l.address());
            p = p != null ? p : text("location.latitude", l.latitude());
            p = p != null ? p : text("location.longitude", l.longitude());
        }
        return p;
    }

    /**
     * Identifiers also have no control characters: none is a carrier's, and JSON writes each as six bytes, which
     * would let a shipment's change notification (identifiers included) outgrow pg_notify's 8,000 bytes.
     */
    private static String identifierText(String field, String s) {
        String problem = text(field, s);
        if (problem != null) {
            return problem;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return field + " contains the control character U+" + String.format("%04X", (int) s.charAt(i))
                        + " at index " + i;
            }
        }
        return null;
    }

    private static String text(String field, String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return field + " contains U+0000 at index " + i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return field + " contains an unpaired surrogate at index " + i;
                }
            }
        }
        return null;
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
