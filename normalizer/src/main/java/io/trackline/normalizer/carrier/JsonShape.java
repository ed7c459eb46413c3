package io.trackline.normalizer.carrier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trackline.events.TracklineJson;
import java.io.IOException;
import java.util.Map;

/**
 * The parts of a payload that a parser reads: {@link Json#tree(byte[], JsonShape)} builds the payload's tree with
 * only these, and passes over the rest token by token (still checked to be JSON, but no node, no string made). A
 * carrier payload is mostly what Trackline does not read (prices, contacts, vehicle, document links); building it
 * all was a fifth of the normalizer's work.
 *
 * <p>What the parser sees of the parts it names is what the whole tree holds: the same node, scalars as the object
 * mapper reads them. Of a part it does not name it sees nothing. Where a value is not of the kind its shape expects,
 * the node keeps its kind: a container where a scalar is named is an empty container of its kind, an array where an
 * object is named keeps its items, each read as a {@link #scalar()}. So {@code isObject()}, {@code isArray()} or
 * {@code isContainerNode()} answer as on the whole tree. A parser's
 * shape must name every field it reads; its test compares the parser's output on the whole tree and on the shaped
 * one ({@code MrSpeedyParserTest}).
 */
public final class JsonShape {

    private static final JsonShape SCALAR = new JsonShape(null, null);

    /** Fields kept of an object, each with its shape; null: keep every member, with {@link #items}. */
    private final Map<String, JsonShape> fields;
    /** The shape of an array's items (and of every member of an object when {@link #fields} is null). */
    private final JsonShape items;

    private JsonShape(Map<String, JsonShape> fields, JsonShape items) {
        this.fields = fields;
        this.items = items;
    }

    /** A value read for itself: a scalar as it is, a container as an empty one of its kind. */
    public static JsonShape scalar() {
        return SCALAR;
    }

    /** An object of which these fields are read. */
    public static JsonShape object(Map<String, JsonShape> fields) {
        return new JsonShape(Map.copyOf(fields), null);
    }

    /** An array (or an object) whose items (or members) are all read, each with the given shape. */
    public static JsonShape each(JsonShape item) {
        return new JsonShape(null, item);
    }

    /** The value at the parser's current token, shaped; the parser is left on the value's last token. */
    JsonNode read(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            if (fields == null && items == null) {
                p.skipChildren();
                return node;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonShape shape = fields == null ? items : fields.get(name);
                p.nextToken();
                if (shape == null) {
                    p.skipChildren();
                } else {
                    node.replace(name, shape.read(p)); // the last of a repeated name counts, as in the whole tree
                }
            }
            return node;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode node = JsonNodeFactory.instance.arrayNode();
            if (fields == null && items == null) {
                p.skipChildren();
                return node;
            }
            JsonShape item = items != null ? items : SCALAR;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                node.add(item.read(p));
            }
            return node;
        }
        return switch (token) {
            case VALUE_STRING -> JsonNodeFactory.instance.textNode(p.getText());
            case VALUE_TRUE -> JsonNodeFactory.instance.booleanNode(true);
            case VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(false);
            case VALUE_NULL -> JsonNodeFactory.instance.nullNode();
            // numbers are rare in what parsers read: the mapper makes the node, exactly as in the whole tree
            default -> TracklineJson.mapper().readTree(p);
        };
    }
}
