package io.trackline.sim.service;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The life of a demo MrSpeedy order as the callbacks MrSpeedy would send: new, available, active, pickup visited,
 * drop-off visited and completed. Bodies follow the callback example of the MrSpeedy Business API.
 */
public final class DemoOrders {

    static final ZoneOffset BANGKOK = ZoneOffset.ofHours(7);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    static final List<String> STEPS = List.of("new", "available", "active", "pickup", "dropoff", "completed");

    private DemoOrders() {}

    public static int steps() {
        return STEPS.size();
    }

    /** The callback body of the order's given step, made at {@code now}. */
    public static byte[] callback(long orderId, int step, OffsetDateTime created, OffsetDateTime now) {
        String stage = STEPS.get(step);
        String status = switch (stage) {
            case "pickup", "dropoff" -> "active";
            default -> stage;
        };
        String pickupVisit = step >= STEPS.indexOf("pickup") ? quoted(created.plusMinutes(20)) : "null";
        String dropoffVisit = step >= STEPS.indexOf("dropoff") ? quoted(created.plusMinutes(50)) : "null";
        String finish = "completed".equals(stage) ? quoted(created.plusMinutes(51)) : "null";
        String eventTime = switch (stage) {
            case "pickup" -> created.plusMinutes(20).format(TIME);
            case "dropoff" -> created.plusMinutes(50).format(TIME);
            case "completed" -> created.plusMinutes(51).format(TIME);
            default -> created.plusMinutes(step * 5L).format(TIME);
        };
        String courier = step >= STEPS.indexOf("active")
                ? "{\"courier_id\":5001,\"name\":\"Somchai\",\"phone\":\"66900000000\",\"latitude\":null,\"longitude\":null}"
                : "null";
        String body = """
                {"event_datetime":"%s","order":{"order_id":%d,"order_name":"%s","vehicle_type_id":8,\
                "created_datetime":"%s","finish_datetime":%s,"status":"%s","matter":"Documents","total_weight_kg":0,\
                "is_client_notification_enabled":false,"is_contact_person_notification_enabled":false,"loaders_count":0,\
                "backpayment_details":null,"points":[{"point_id":%d,"client_order_id":"DEMO-%d",\
                "address":"33/5 ถนน สุขุมวิท แขวง คลองเตยเหนือ เขต วัฒนา กรุงเทพมหานคร 10110 ประเทศไทย",\
                "latitude":"13.7440632","longitude":"100.5541464","courier_visit_datetime":%s,\
                "contact_person":{"name":null,"phone":"66902299000"},"taking_amount":"0.00","buyout_amount":"0.00","note":null},\
                {"point_id":%d,"client_order_id":null,\
                "address":"3079/25 ถนน สุขุมวิท แขวง บางจาก เขต พระโขนง กรุงเทพมหานคร 10260 ประเทศไทย",\
                "latitude":"13.6931036","longitude":"100.6011547","courier_visit_datetime":%s,\
                "contact_person":{"name":null,"phone":"66902299000"},"taking_amount":"0.00","buyout_amount":"0.00","note":null}],\
                "payment_amount":"170.00","delivery_fee_amount":"170.00","courier":%s}}""".formatted(
                        eventTime,
                        orderId,
                        String.valueOf(orderId % 100000),
                        created.format(TIME),
                        finish,
                        status,
                        orderId * 10,
                        orderId,
                        pickupVisit,
                        orderId * 10 + 1,
                        dropoffVisit,
                        courier);
        return body.getBytes(StandardCharsets.UTF_8);
    }

    public static OffsetDateTime createdAt(OffsetDateTime now) {
        return now.withOffsetSameInstant(BANGKOK).truncatedTo(ChronoUnit.SECONDS);
    }

    private static String quoted(OffsetDateTime time) {
        return '"' + time.format(TIME) + '"';
    }
}
