package io.trackline.normalizer.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.TracklineJson;
import java.io.IOException;

/** Small helpers of the parsers: tolerant reads, unknown fields ignored. */
public final class Json {

    private Json() {
    }

    /** The payload as a JSON object, or {@link UnparseableException}. */
    public static JsonNode object(String payload, String what) throws UnparseableException {
        JsonNode root;
        try {
            root = TracklineJson.mapper().readTree(payload);
        } catch (IOException e) {
            throw new UnparseableException(what + " payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new UnparseableException(what + " payload is not a JSON object");
        }
        return root;
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
