package io.trackline.pollers.carrier.mrspeedy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.TracklineJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A MrSpeedy "List of orders" answer split into its orders, each kept as the exact bytes MrSpeedy sent for it (the
 * object from its {@code {} to its {@code }}, found by the parser's byte offsets: nothing is re-serialized), with the
 * two fields the reconciler decides on.
 *
 * @param orders      the orders of this page, in the list's order
 * @param ordersCount {@code orders_count}: all orders matching, for paging; the page's size when absent
 */
record OrderList(List<Order> orders, int ordersCount) {

    /** One listed order: {@code order_id}, {@code status}, and its bytes. */
    record Order(String orderId, String status, byte[] bytes) {}

    static OrderList read(byte[] body) throws IOException {
        List<Order> orders = new ArrayList<>();
        int count = -1;
        try (JsonParser p = TracklineJson.mapper().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the order list is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("orders".equals(name) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int end = (int) p.currentTokenLocation().getByteOffset() + 1;
                        byte[] bytes = Arrays.copyOfRange(body, start, end);
                        JsonNode order = TracklineJson.mapper().readTree(bytes);
                        String id = text(order.get("order_id"));
                        if (id != null) {
                            orders.add(new Order(id, text(order.get("status")), bytes));
                        }
                    }
                } else if ("orders_count".equals(name) && value.isNumeric()) {
                    count = p.getIntValue();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new OrderList(List.copyOf(orders), count < 0 ? orders.size() : count);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String s = node.asText().strip();
        return s.isEmpty() ? null : s;
    }
}
