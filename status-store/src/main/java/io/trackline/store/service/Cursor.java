package io.trackline.store.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Keyset position in the list of shipments: the (updated_at, id) of the last row of a page, opaque to callers. */
record Cursor(OffsetDateTime updatedAt, String id) {

    String encode() {
        String raw = updatedAt.toInstant() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new Cursor(Instant.parse(raw.substring(0, bar)).atOffset(ZoneOffset.UTC), raw.substring(bar + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidRequestException("'after' is not a cursor this API returned");
        }
    }
}
