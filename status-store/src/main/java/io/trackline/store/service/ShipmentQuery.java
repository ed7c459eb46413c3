package io.trackline.store.service;

import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.http.api.InvalidRequestException;
import io.trackline.http.api.QueryParameters;
import io.trackline.store.config.StoreConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Filters and position of one page of GET /api/v1/shipments, checked: every filter is optional, and one that is
 * given must be usable, or the request is refused with a message naming it.
 *
 * @param after position after the previous page ({@code next}), absent for the first page
 */
record ShipmentQuery(
        Optional<CanonicalStatus> status,
        Optional<Carrier> carrier,
        Optional<String> account,
        Optional<OffsetDateTime> updatedSince,
        int limit,
        Optional<Cursor> after) {

    static final List<String> PARAMETERS = List.of("status", "carrier", "account", "updatedSince", "limit", "after");

    /**
     * Times the API takes and gives back: four-digit years, so every one fits PostgreSQL's timestamptz (which ends
     * in year 294276) and Java's Instant, and a query never fails in the database over a time.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** @throws InvalidRequestException naming the first parameter that is not usable */
    static ShipmentQuery parse(Map<String, List<String>> given, StoreConfig.Pages pages) {
        QueryParameters parameters = QueryParameters.of(given, PARAMETERS);
        return new ShipmentQuery(
                parameters.get("status").map(ShipmentQuery::status),
                parameters.get("carrier").map(ShipmentQuery::carrier),
                parameters.get("account"),
                parameters.get("updatedSince").map(ShipmentQuery::updatedSince),
                parameters
                        .get("limit")
                        .map(limit -> limit(limit, pages.maxSize()))
                        .orElse(pages.defaultSize()),
                parameters.get("after").map(Cursor::decode));
    }

    private static CanonicalStatus status(String status) {
        try {
            return CanonicalStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'status' must be one of " + Arrays.toString(CanonicalStatus.values()));
        }
    }

    private static Carrier carrier(String carrier) {
        return Carrier.find(carrier)
                .orElseThrow(() ->
                        new InvalidRequestException("'carrier' must be one of " + Arrays.toString(Carrier.values())));
    }

    private static OffsetDateTime updatedSince(String since) {
        String problem = "'updatedSince' must be an ISO-8601 time with offset, years 0001 to 9999, e.g. "
                + "2026-11-24T10:00:00+07:00";
        if (since.indexOf(' ') >= 0) {
            problem += " (a '+' in a query string is a space: send it as %2B)";
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(since, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(problem);
        }
        if (!inRange(time.toInstant())) {
            throw new InvalidRequestException(problem);
        }
        return time;
    }

    private static int limit(String limit, int max) {
        String problem = "'limit' must be an integer from 1 to " + max;
        if (limit.length() > 9 || !limit.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidRequestException(problem);
        }
        int size = Integer.parseInt(limit);
        if (size < 1 || size > max) {
            throw new InvalidRequestException(problem);
        }
        return size;
    }

    static boolean inRange(Instant time) {
        return !time.isBefore(EARLIEST) && !time.isAfter(LATEST);
    }
}
