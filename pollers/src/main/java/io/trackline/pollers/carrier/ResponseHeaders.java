package io.trackline.pollers.carrier;

import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the carrier clients read from and keep of a response's headers. */
public final class ResponseHeaders {

    /**
     * Kept with a raw record: when and how the carrier answered, none of it a credential or a cookie. Names are kept
     * lower-case, as HTTP/2 writes them.
     */
    static final List<String> KEPT = List.of(
            "date", "content-type", "content-length", "etag", "last-modified", "x-request-id", "request-id", "server");

    private ResponseHeaders() {}

    /** The response's {@link #KEPT} headers that are present, by lower-case name. */
    public static Map<String, String> kept(Response response) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT) {
            String value = response.getHeaderString(name);
            if (value != null && !value.isBlank()) {
                kept.put(name, value.length() <= 256 ? value : value.substring(0, 256));
            }
        }
        return kept;
    }

    /** The content type as sent, or null. */
    public static String contentType(Response response) {
        String value = response.getHeaderString("Content-Type");
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * {@code Retry-After} (RFC 9110 10.2.3): delay-seconds or an HTTP-date, read against {@code clock}. A date in the
     * past is zero; a value that is neither is absent (the caller then picks its own cool-down).
     */
    public static Optional<Duration> retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLong) {
                return Optional.of(Duration.ofDays(1));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                    .toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
