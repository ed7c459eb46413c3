package io.trackline.normalizer.carrier.express247;

import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.Carrier;
import io.trackline.events.Location;
import io.trackline.events.RawEnvelope;
import io.trackline.events.ReferenceKeys;
import io.trackline.normalizer.carrier.CarrierErrorResponse;
import io.trackline.normalizer.carrier.CarrierFact;
import io.trackline.normalizer.carrier.CarrierParser;
import io.trackline.normalizer.carrier.CarrierTimes;
import io.trackline.normalizer.carrier.Json;
import io.trackline.normalizer.carrier.UnparseableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * 247Express tracking responses ({@code GET /api/Order/v1/Tracking}). Facts, oldest first:
 * <ul>
 * <li>each {@code statuses[]} entry ({@code time}, {@code status}, {@code statusName});</li>
 * <li>each {@code trackings[]} entry ({@code dateChange}, {@code statusID}, {@code statusName}, post office and
 * province as location), read in the same status vocabulary;</li>
 * <li>the top-level {@code status}, only when no history entry states it;</li>
 * <li>{@code delayCode} / {@code delayNote}, when present, dated by the latest history entry of the current status.</li>
 * </ul>
 * A fact with no time of its own is dated when Trackline received the response and marked as state, so that it is
 * emitted once, not on every poll. {@code estimateRoutes} (or {@code deliveryDate} before delivery) is the ETA.
 * Local times are Asia/Ho_Chi_Minh.
 */
@ApplicationScoped
public class Express247Parser implements CarrierParser {

    public static final String FIELD_STATUS = "status";
    public static final String FIELD_DELAY = "delayCode";
    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    /** 5 to 20 letters, digits, {@code _} or {@code -}: the carrier's own rule for order codes. */
    public static final Pattern ORDER_CODE = Pattern.compile("[A-Za-z0-9_-]{5,20}");

    @Override
    public Carrier carrier() {
        return Carrier.EXPRESS247;
    }

    @Override
    public List<CarrierFact> parse(RawEnvelope envelope, JsonNode payload)
            throws UnparseableException, CarrierErrorResponse {
        JsonNode root = Json.object(payload, "247Express");
        String status = Json.text(root, "status");
        boolean hasHistory =
                root.path("statuses").isArray() || root.path("trackings").isArray();
        String errorCode = Json.text(root, "errorCode");
        if (status == null && !hasHistory) {
            if (errorCode != null) {
                throw new CarrierErrorResponse(
                        errorCode, "247Express answered " + errorCode + ": " + Json.text(root, "errorMessage"));
            }
            throw new UnparseableException("247Express response has neither status nor history");
        }
        String orderCode = Json.text(root, "orderCode");
        if (orderCode == null) {
            orderCode = envelope.shipmentRef();
        }
        if (orderCode == null || !ORDER_CODE.matcher(orderCode).matches()) {
            throw new UnparseableException("247Express order code is not 5-20 of [A-Za-z0-9_-]");
        }
        Map<String, String> refs = Map.of(ReferenceKeys.EXPRESS247_ORDER_CODE, orderCode);
        OffsetDateTime eta = eta(root);

        List<CarrierFact> facts = new ArrayList<>();
        for (JsonNode entry : root.path("statuses")) {
            String code = Json.text(entry, "status");
            String time = Json.text(entry, "time");
            if (code == null || time == null) {
                throw new UnparseableException("247Express statuses[] entry without status or time");
            }
            String name = Json.text(entry, "statusName");
            facts.add(CarrierFact.builder()
                    .reference(orderCode)
                    .references(refs)
                    .field(FIELD_STATUS)
                    .code(code)
                    .text(name != null ? name : Json.text(entry, "trackingName"))
                    .occurredAt(CarrierTimes.parse(time, ZONE))
                    .rawTime(time)
                    .eta(eta)
                    .build());
        }
        for (JsonNode entry : root.path("trackings")) {
            String code = Json.text(entry, "statusID");
            String time = Json.text(entry, "dateChange");
            if (code == null || time == null) {
                throw new UnparseableException("247Express trackings[] entry without statusID or dateChange");
            }
            Location at = Location.named(Json.text(entry, "postOfficeName"), Json.text(entry, "provinceName"), null);
            facts.add(CarrierFact.builder()
                    .reference(orderCode)
                    .references(refs)
                    .field(FIELD_STATUS)
                    .code(code)
                    .text(Json.text(entry, "statusName"))
                    .occurredAt(CarrierTimes.parse(time, ZONE))
                    .rawTime(time)
                    .location(at.isEmpty() ? null : at)
                    .eta(eta)
                    .build());
        }
        facts.sort(Comparator.comparing(CarrierFact::occurredAt));

        CarrierFact current = status == null
                ? null
                : facts.stream()
                        .filter(f -> f.code().equalsIgnoreCase(status))
                        .reduce((a, b) -> b)
                        .orElse(null);
        OffsetDateTime observed = envelope.receivedAt();
        if (status != null && current == null) {
            if (observed == null) {
                throw new UnparseableException("247Express status without history needs the envelope's receivedAt");
            }
            String deliveryDate = Json.text(root, "deliveryDate");
            boolean dated = deliveryDate != null
                    && ("DELIVERED".equalsIgnoreCase(status)
                            || "DELIVERED".equalsIgnoreCase(Json.text(root, "statusName")));
            OffsetDateTime at = dated ? CarrierTimes.parse(deliveryDate, ZONE) : observed;
            current = CarrierFact.builder()
                    .reference(orderCode)
                    .references(refs)
                    .field(FIELD_STATUS)
                    .code(status)
                    .text(Json.text(root, "statusName"))
                    .occurredAt(at)
                    .rawTime(dated ? deliveryDate : null)
                    .eta(eta)
                    .state(!dated)
                    .build();
            facts.add(current);
        }
        String delayCode = Json.text(root, FIELD_DELAY);
        if (delayCode != null && !"0".equals(delayCode)) {
            boolean anchored = current != null && !current.state();
            OffsetDateTime at = anchored ? current.occurredAt() : observed;
            if (at == null) {
                throw new UnparseableException("247Express delay without a time");
            }
            facts.add(CarrierFact.builder()
                    .reference(orderCode)
                    .references(refs)
                    .field(FIELD_DELAY)
                    .code(delayCode)
                    .text(Json.text(root, "delayNote"))
                    .occurredAt(at)
                    .rawTime(anchored ? current.rawTime() : null)
                    .eta(eta)
                    .state(!anchored)
                    .build());
        }
        return facts;
    }

    /** {@code estimateRoutes} when it reads as a time; else {@code deliveryDate} if the order is not delivered yet. */
    private static OffsetDateTime eta(JsonNode root) {
        for (String field : new String[] {"estimateRoutes", "deliveryDate"}) {
            String text = Json.text(root, field);
            if (text == null
                    || ("deliveryDate".equals(field) && "DELIVERED".equalsIgnoreCase(Json.text(root, "status")))) {
                continue;
            }
            try {
                return CarrierTimes.parse(text, ZONE);
            } catch (UnparseableException notATime) {
                // The document does not define the shape of estimateRoutes: a non-time value gives no ETA.
            }
        }
        return null;
    }
}
