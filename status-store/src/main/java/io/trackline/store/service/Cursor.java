package io.trackline.store.service;

import io.trackline.http.api.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Keyset position in the list of shipments: the (updated_at, id) of the last row of a page, opaque to callers. */
record Cursor(OffsetDateTime updatedAt, String id) {

    /** Far longer than any cursor this API writes (a time and a shipment id, in base64). */
    private static final int MAX_LENGTH = 1024;

    String encode() {
        String raw = updatedAt.toInstant() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor back, refusing anything this API could not have written: a caller can send any text, and
     * what reaches the database must be a time it can hold and an id without a NUL.
     *
     * @throws InvalidRequestException when it is not such a cursor
     */
    static Cursor decode(String cursor) {
        InvalidRequestException refused = new InvalidRequestException("'after' is not a cursor this API returned");
        if (cursor.length() > MAX_LENGTH) {
            throw refused;
        }
        String raw;
        try {
            raw = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw refused;
        }
        int bar = raw.indexOf('|');
        if (bar < 0 || bar == raw.length() - 1) {
            throw refused;
        }
        Instant at;
        try {
            at = Instant.parse(raw.substring(0, bar));
        } catch (DateTimeParseException e) {
            throw refused;
        }
        String id = raw.substring(bar + 1);
        if (!ShipmentQuery.inRange(at) || id.chars().anyMatch(Character::isISOControl)) {
            throw refused;
        }
        return new Cursor(at.atOffset(ZoneOffset.UTC), id);
    }
}
