package io.trackline.normalizer.carrier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.RawEnvelope;
import io.trackline.events.TracklineJson;
import java.io.IOException;

/** Small helpers of the parsers: tolerant reads, unknown fields ignored. */
public final class Json {

    private Json() {}

    /** The payload as a JSON object, or {@link UnparseableException}. */
    public static JsonNode object(JsonNode payload, String what) throws UnparseableException {
        if (payload == null) {
            throw new UnparseableException(what + " payload is not JSON");
        }
        if (!payload.isObject()) {
            throw new UnparseableException(what + " payload is not a JSON object");
        }
        return payload;
    }

    /**
     * The bytes as one JSON value, or null when they are not JSON. JSON text is UTF-8 (RFC 8259): bytes in another
     * encoding are not read, though Jackson would detect UTF-16 or UTF-32 by their 0x00 bytes and read them.
     */
    public static JsonNode tree(byte[] payload) {
        return tree(payload, null);
    }

    /**
     * Like {@link #tree(byte[])}, with only the parts of the payload that {@code shape} names in the tree; the rest is
     * read as JSON, but not kept.
     *
     * @param shape the parts a parser reads; null for the whole tree
     */
    public static JsonNode tree(byte[] payload, JsonShape shape) {
        if (payload == null || payload.length == 0 || !RawEnvelope.isUtf8JsonText(payload)) {
            return null;
        }
        try (JsonParser parser = TracklineJson.mapper().createParser(payload)) {
            JsonNode tree;
            if (shape == null) {
                tree = TracklineJson.mapper().readTree(parser);
            } else {
                tree = parser.nextToken() == null ? null : shape.read(parser);
            }
            return tree != null && parser.nextToken() == null ? tree : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A scalar field as text; null when absent, null, blank or not a scalar. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String s = value.asText().strip();
        return s.isEmpty() ? null : s;
    }
}
