package io.trackline.sim.carrier.mrspeedy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** MrSpeedy's JSON, shaped as the Business API document's order, list, courier, callback and error examples. */
public final class MrSpeedyJson {

    /** The document's timestamp: ISO 8601 with a colon in the offset. */
    public static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(MrSpeedyLifecycle.ZONE);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MrSpeedyJson() {}

    /** The order as it stood after change {@code upTo} (inclusive). */
    public static ObjectNode order(Shipment shipment, int upTo) {
        MrSpeedyOrder order = shipment.profile();
        List<Step> steps = shipment.steps();
        String status = null;
        Instant finish = null;
        int courier = -1;
        Instant[] visits = new Instant[order.points().size()];
        for (int i = 0; i <= upTo; i++) {
            Step step = steps.get(i);
            MrSpeedyStep detail = (MrSpeedyStep) step.detail();
            if (step.field().equals(MrSpeedyLifecycle.FIELD_VISIT)) {
                visits[detail.point()] = step.at();
                continue;
            }
            status = step.code();
            if (detail.courier() >= 0) {
                courier = detail.courier();
            }
            if (status.equals("reactivated")) {
                courier = -1;
            }
            finish = status.equals("completed") || status.equals("canceled") ? step.at() : null;
        }
        ObjectNode o = JSON.objectNode();
        o.put("order_id", order.orderId());
        o.put("order_name", order.orderName());
        o.put("vehicle_type_id", order.vehicleTypeId());
        o.put("created_datetime", TIME.format(shipment.createdAt()));
        time(o, "finish_datetime", finish);
        o.put("status", status);
        o.put("matter", order.matter());
        o.put("total_weight_kg", order.totalWeightKg());
        o.put("is_client_notification_enabled", false);
        o.put("is_contact_person_notification_enabled", false);
        o.put("loaders_count", 0);
        o.putNull("backpayment_details");
        ArrayNode points = o.putArray("points");
        for (int i = 0; i < order.points().size(); i++) {
            MrSpeedyPoint point = order.points().get(i);
            ObjectNode p = points.addObject();
            p.put("point_id", point.pointId());
            text(p, "client_order_id", point.clientOrderId());
            p.put("address", point.address());
            p.put("latitude", point.latitude());
            p.put("longitude", point.longitude());
            time(p, "required_start_datetime", point.requiredStart());
            time(p, "required_finish_datetime", point.requiredFinish());
            p.putNull("arrival_start_datetime");
            p.putNull("arrival_finish_datetime");
            time(p, "courier_visit_datetime", visits[i]);
            ObjectNode contact = p.putObject("contact_person");
            contact.put("name", point.contactName());
            contact.put("phone", point.phone());
            p.put("taking_amount", "0.00");
            p.put("buyout_amount", "0.00");
            text(p, "note", point.note());
        }
        o.put("payment_amount", order.paymentAmount());
        o.put("delivery_fee_amount", order.paymentAmount());
        for (String fee : new String[] {
            "weight_fee_amount",
            "insurance_amount",
            "insurance_fee_amount",
            "loading_fee_amount",
            "money_transfer_fee_amount",
            "suburban_delivery_fee_amount",
            "discount_amount",
            "backpayment_amount"
        }) {
            o.put(fee, "0.00");
        }
        o.putNull("backpayment_photo_url");
        o.putNull("itinerary_document_url");
        o.putNull("waybill_document_url");
        o.putNull("receipt_document_url");
        boolean onTheWay = "active".equals(status) || MrSpeedyLifecycle.UNDOCUMENTED_STATUS.equals(status);
        boolean assigned = courier >= 0 && (onTheWay || "completed".equals(status));
        o.set("courier", assigned ? courier(order, courier, onTheWay ? position(order, visits) : null) : null);
        return o;
    }

    /** The order's status now: that of its last status change. */
    public static String status(Shipment shipment) {
        for (int i = shipment.revealed() - 1; i >= 0; i--) {
            Step step = shipment.steps().get(i);
            if (step.field().equals(MrSpeedyLifecycle.FIELD_STATUS)) {
                return step.code();
            }
        }
        return null;
    }

    /** The order as it stands now. */
    public static ObjectNode current(Shipment shipment) {
        return order(shipment, shipment.revealed() - 1);
    }

    /** The courier of the order as it stands now, or null; located while the order is active. */
    public static JsonNode courierNow(Shipment shipment) {
        JsonNode courier = current(shipment).get("courier");
        return courier == null ? JSON.nullNode() : courier;
    }

    /** A callback body: {@code {"event_datetime": ..., "order": {...}}} as of change {@code step}. */
    public static ObjectNode callback(Shipment shipment, int step) {
        ObjectNode o = JSON.objectNode();
        o.put("event_datetime", TIME.format(shipment.steps().get(step).at()));
        o.set("order", order(shipment, step));
        return o;
    }

    public static ObjectNode success() {
        return JSON.objectNode().put("is_successful", true);
    }

    /** {@code {"is_successful": false, "errors": [...], "parameter_errors": ...}}. */
    public static ObjectNode error(String code, Map<String, List<String>> parameterErrors) {
        ObjectNode o = JSON.objectNode();
        o.put("is_successful", false);
        o.putArray("errors").add(code);
        if (parameterErrors == null || parameterErrors.isEmpty()) {
            o.putNull("parameter_errors");
        } else {
            ObjectNode errors = o.putObject("parameter_errors");
            parameterErrors.forEach((name, codes) -> codes.forEach(errors.putArray(name)::add));
        }
        return o;
    }

    private static ObjectNode courier(MrSpeedyOrder order, int index, String[] position) {
        MrSpeedyCourier courier = order.couriers().get(index);
        ObjectNode c = JSON.objectNode();
        c.put("courier_id", courier.courierId());
        c.put("name", courier.name());
        c.put("phone", courier.phone());
        c.putNull("photo_url");
        text(c, "latitude", position == null ? null : position[0]);
        text(c, "longitude", position == null ? null : position[1]);
        return c;
    }

    /** Near the pickup until it is visited, then between the last visited point and the next. */
    private static String[] position(MrSpeedyOrder order, Instant[] visits) {
        List<MrSpeedyPoint> points = order.points();
        int visited = -1;
        for (int i = 0; i < visits.length; i++) {
            if (visits[i] != null) {
                visited = i;
            }
        }
        if (visited < 0) {
            return new String[] {points.get(0).latitude(), points.get(0).longitude()};
        }
        MrSpeedyPoint from = points.get(visited);
        MrSpeedyPoint to = points.get(Math.min(visited + 1, points.size() - 1));
        return new String[] {midpoint(from.latitude(), to.latitude()), midpoint(from.longitude(), to.longitude())};
    }

    private static String midpoint(String a, String b) {
        return String.format(Locale.ROOT, "%.7f", (Double.parseDouble(a) + Double.parseDouble(b)) / 2);
    }

    private static void time(ObjectNode node, String field, Instant at) {
        if (at == null) {
            node.putNull(field);
        } else {
            node.put(field, TIME.format(at));
        }
    }

    private static void text(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
