package io.trackline.normalizer.carrier.mrspeedy;

import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.Carrier;
import io.trackline.events.Location;
import io.trackline.events.RawEnvelope;
import io.trackline.events.ReferenceKeys;
import io.trackline.normalizer.carrier.CarrierFact;
import io.trackline.normalizer.carrier.CarrierParser;
import io.trackline.normalizer.carrier.CarrierTimes;
import io.trackline.normalizer.carrier.Json;
import io.trackline.normalizer.carrier.JsonShape;
import io.trackline.normalizer.carrier.UnparseableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MrSpeedy order callbacks ({@code {"event_datetime", "order"}}), order-list responses ({@code {"orders": [...]}}),
 * one order as the list carries it ({@code {"order_id", ...}}: what the pollers' reconciler publishes, the order's
 * bytes cut from the list unchanged) and courier answers ({@code {"is_successful", "courier"}}, from
 * {@code GET /courier}). Facts: the order status, and each point the courier visited ({@code courier_visit_datetime}):
 * the first point is the pickup, the last the drop-off, the others stops; and the courier's location while an order
 * is active ({@value #FIELD_COURIER_LOCATION}), dated when Trackline received it.
 *
 * <p>The order status is a state, not an event: MrSpeedy calls back on every order change (a point visited, a courier
 * assigned) with the same status, and the order list carries no time for it. A status fact is therefore marked as
 * state and emitted only when it changes the shipment's status. A callback dates it by {@code event_datetime}; an
 * order read from the list by its own times ({@code created_datetime} for {@code new}, {@code available} and
 * {@code draft}, {@code finish_datetime} for {@code completed} and {@code canceled}) or else by when Trackline received
 * the list. A point visit has its own time, which callback and list share, so both give it the same event id.
 */
@ApplicationScoped
public class MrSpeedyParser implements CarrierParser {

    public static final String FIELD_STATUS = "order.status";
    public static final String FIELD_POINT_VISIT = "point.courier_visit";
    public static final String VISIT_PICKUP = "pickup";
    public static final String VISIT_STOP = "stop";
    public static final String VISIT_DROPOFF = "dropoff";
    /** The courier's location from {@code GET /courier}: one code, the location in the event's location. */
    public static final String FIELD_COURIER_LOCATION = "courier.location";

    public static final String COURIER_ON_THE_WAY = "on_the_way";
    /** MrSpeedy sends offsets; this zone only reads a time that lacks one. */
    static final ZoneId ZONE = ZoneId.of("Asia/Bangkok");

    /** Every field this parser reads; the rest of a callback (prices, contacts, documents) is not kept. */
    private static final JsonShape POINT = JsonShape.object(Map.of(
            "client_order_id", JsonShape.scalar(),
            "courier_visit_datetime", JsonShape.scalar(),
            "address", JsonShape.scalar(),
            "latitude", JsonShape.scalar(),
            "longitude", JsonShape.scalar(),
            "arrival_finish_datetime", JsonShape.scalar(),
            "required_finish_datetime", JsonShape.scalar()));

    private static final JsonShape ORDER = JsonShape.object(Map.of(
            "order_id", JsonShape.scalar(),
            "order_name", JsonShape.scalar(),
            "status", JsonShape.scalar(),
            "created_datetime", JsonShape.scalar(),
            "finish_datetime", JsonShape.scalar(),
            "points", JsonShape.each(POINT)));

    private static final JsonShape COURIER =
            JsonShape.object(Map.of("latitude", JsonShape.scalar(), "longitude", JsonShape.scalar()));

    /** A callback, an order list, one listed order (its fields at the top) or a courier answer. */
    static final JsonShape SHAPE = JsonShape.object(Map.ofEntries(
            Map.entry("event_datetime", JsonShape.scalar()),
            Map.entry("order", ORDER),
            Map.entry("orders", JsonShape.each(ORDER)),
            Map.entry("order_id", JsonShape.scalar()),
            Map.entry("order_name", JsonShape.scalar()),
            Map.entry("status", JsonShape.scalar()),
            Map.entry("created_datetime", JsonShape.scalar()),
            Map.entry("finish_datetime", JsonShape.scalar()),
            Map.entry("points", JsonShape.each(POINT)),
            Map.entry("courier", COURIER)));

    @Override
    public Carrier carrier() {
        return Carrier.MRSPEEDY;
    }

    @Override
    public JsonShape shape() {
        return SHAPE;
    }

    @Override
    public List<CarrierFact> parse(RawEnvelope envelope, JsonNode payload) throws UnparseableException {
        JsonNode root = Json.object(payload, "MrSpeedy");
        List<CarrierFact> facts = new ArrayList<>();
        if (root.path("order").isObject()) {
            String eventTime = text(root, "event_datetime");
            if (eventTime == null) {
                throw new UnparseableException("MrSpeedy callback has no event_datetime");
            }
            facts.addAll(order(root.get("order"), eventTime, null));
        } else if (root.path("orders").isArray()) {
            for (JsonNode order : root.get("orders")) {
                if (envelope.shipmentRef() == null || envelope.shipmentRef().equals(text(order, "order_id"))) {
                    facts.addAll(order(order, null, envelope.receivedAt()));
                }
            }
        } else if (root.has("order_id")) {
            // one order as the order list carried it, published alone by the pollers' reconciler
            facts.addAll(order(root, null, envelope.receivedAt()));
        } else if (root.has("courier")) {
            facts.addAll(courier(envelope, root.get("courier")));
        } else {
            throw new UnparseableException("MrSpeedy payload has neither 'order', 'orders', 'order_id' nor 'courier'");
        }
        facts.sort(Comparator.comparing(CarrierFact::occurredAt));
        return facts;
    }

    private List<CarrierFact> order(JsonNode order, String eventTime, OffsetDateTime receivedAt)
            throws UnparseableException {
        String orderId = text(order, "order_id");
        if (orderId == null) {
            throw new UnparseableException("MrSpeedy order has no order_id");
        }
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put(ReferenceKeys.MRSPEEDY_ORDER_ID, orderId);
        putIfPresent(refs, ReferenceKeys.MRSPEEDY_ORDER_NAME, text(order, "order_name"));
        JsonNode points = order.path("points");
        for (JsonNode point : points) {
            String clientOrderId = text(point, "client_order_id");
            if (clientOrderId != null) {
                refs.putIfAbsent(ReferenceKeys.MRSPEEDY_CLIENT_ORDER_ID, clientOrderId);
            }
        }
        Map<String, String> references = Map.copyOf(refs);
        OffsetDateTime eta = points.isArray() && !points.isEmpty() ? eta(points.get(points.size() - 1)) : null;
        List<CarrierFact> facts = new ArrayList<>();

        String status = text(order, "status");
        if (status != null) {
            String statusTime = eventTime != null ? eventTime : statusTimeOfListedOrder(order, status);
            OffsetDateTime at = statusTime != null ? CarrierTimes.parse(statusTime, ZONE) : receivedAt;
            if (at == null) {
                throw new UnparseableException("MrSpeedy order status has no time");
            }
            facts.add(CarrierFact.builder()
                    .reference(orderId)
                    .references(references)
                    .field(FIELD_STATUS)
                    .code(status)
                    .occurredAt(at)
                    .rawTime(statusTime)
                    .eta(eta)
                    .state(true)
                    .build());
        }

        int last = points.size() - 1;
        for (int i = 0; i <= last; i++) {
            JsonNode point = points.get(i);
            String visited = text(point, "courier_visit_datetime");
            if (visited == null) {
                continue;
            }
            String kind = i == 0 ? VISIT_PICKUP : i == last ? VISIT_DROPOFF : VISIT_STOP;
            Location where = new Location(
                    null, null, null, text(point, "address"), text(point, "latitude"), text(point, "longitude"));
            facts.add(CarrierFact.builder()
                    .reference(orderId)
                    .references(references)
                    .field(FIELD_POINT_VISIT)
                    .code(kind)
                    .occurredAt(CarrierTimes.parse(visited, ZONE))
                    .rawTime(visited)
                    .location(where.isEmpty() ? null : where)
                    .eta(eta)
                    .build());
        }
        return facts;
    }

    /**
     * A courier answer: the courier's location, if MrSpeedy gave one (only while the order is active and the courier
     * on the way), as a dated fact of the envelope's reference at the time Trackline received it. No courier, or one
     * without a location, is no fact. The courier's name and phone are not kept.
     */
    private static List<CarrierFact> courier(RawEnvelope envelope, JsonNode courier) throws UnparseableException {
        if (courier == null || !courier.isObject()) {
            return List.of();
        }
        String latitude = text(courier, "latitude");
        String longitude = text(courier, "longitude");
        if (latitude == null || longitude == null) {
            return List.of();
        }
        String orderId = envelope.shipmentRef();
        if (orderId == null || envelope.receivedAt() == null) {
            throw new UnparseableException("MrSpeedy courier answer without the order's reference or a receive time");
        }
        return List.of(CarrierFact.builder()
                .reference(orderId)
                .references(Map.of(ReferenceKeys.MRSPEEDY_ORDER_ID, orderId))
                .field(FIELD_COURIER_LOCATION)
                .code(COURIER_ON_THE_WAY)
                .occurredAt(envelope.receivedAt())
                .location(new Location(null, null, null, null, latitude, longitude))
                .build());
    }

    /** The order's own time of a listed status, where it has one; null means "when received". */
    private static String statusTimeOfListedOrder(JsonNode order, String status) {
        return switch (status) {
            case "new", "available", "draft" -> text(order, "created_datetime");
            case "completed", "canceled" -> text(order, "finish_datetime");
            default -> null;
        };
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String s = value.asText();
        return s.isBlank() ? null : s;
    }

    /** The drop-off point's expected arrival, else the end of its required window. */
    private static OffsetDateTime eta(JsonNode lastPoint) throws UnparseableException {
        OffsetDateTime arrival = time(lastPoint, "arrival_finish_datetime");
        return arrival != null ? arrival : time(lastPoint, "required_finish_datetime");
    }

    static OffsetDateTime time(JsonNode node, String field) throws UnparseableException {
        String t = text(node, field);
        return t == null ? null : CarrierTimes.parse(t, ZONE);
    }
}
