package io.trackline.sim.carrier.all24;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** all24's JSON, shaped as the document's tracking example. */
public final class All24Json {

    static final DateTimeFormatter WITH_OFFSET =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(All24Lifecycle.ZONE);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private All24Json() {}

    /**
     * {@code {"<key>": {order}, "response_code": 200, "error_codes": []}}, the history newest first (equal times keep
     * the newest first too, as in the example). The key is the number the client asked for.
     */
    public static ObjectNode tracking(String key, Shipment shipment) {
        All24Order order = shipment.profile();
        ObjectNode root = JSON.objectNode();
        ObjectNode o = root.putObject(key);
        o.put("origin_order_date", WITH_OFFSET.format(order.originOrderDate()));
        o.put("order_ref_id", order.orderRefId());
        o.put("hs_order_ref", order.trackingNumber());
        o.put("expected_completion", WITH_OFFSET.format(order.expectedCompletion()));
        address(o.putObject("sender_location"), order.sender());
        address(o.putObject("recipient_location"), order.recipient());
        ArrayNode history = o.putArray("history");
        List<Step> visible = shipment.visibleSteps();
        for (int i = visible.size() - 1; i >= 0; i--) {
            Step step = visible.get(i);
            All24Place where = (All24Place) step.detail();
            ObjectNode event = history.addObject();
            event.put("event_time", All24Lifecycle.EVENT_TIME.format(step.at()));
            event.put("event_name", step.name());
            event.put("event_code", step.code());
            event.put("location_ref", nonNull(where.locationRef()));
            ObjectNode location = event.putObject("location");
            location.put("location_name", nonNull(where.locationName()));
            location.put("service_area", nonNull(where.serviceArea()));
            location.put("postcode", nonNull(where.postcode()));
        }
        root.put("response_code", 200);
        root.putArray("error_codes");
        return root;
    }

    /** An error answer: {@code {"response_code": 400, "error_codes": [1350]}}. */
    public static ObjectNode error(int responseCode, Integer errorCode) {
        ObjectNode root = JSON.objectNode();
        root.put("response_code", responseCode);
        ArrayNode codes = root.putArray("error_codes");
        if (errorCode != null) {
            codes.add(errorCode);
        }
        return root;
    }

    private static void address(ObjectNode node, All24Place place) {
        node.put("location_name", nonNull(place.locationName()));
        node.put("addressline1", nonNull(place.addressline1()));
        node.put("service_area", nonNull(place.serviceArea()));
        node.put("postcode", nonNull(place.postcode()));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
