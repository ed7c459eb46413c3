package io.trackline.normalizer.carrier.all24;

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
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * all24 tracking responses, from either query form ({@code all24_tracking_number} / {@code all_24_tracking_number},
 * or the third party's {@code tracking_number} with {@code customer_id}): {@code {"<tracking number>": {order},
 * "response_code": 200, "error_codes": []}}. Each history entry is a fact. The history comes newest first, with equal
 * timestamps: it is reversed, then sorted stably by time, so that entries of one second keep the carrier's order.
 *
 * <p>The shipment's reference is always all24's own tracking number ({@code hs_order_ref}, else the response's key),
 * whichever form the poller used, so the shipment id is the same for both; a different {@link RawEnvelope#shipmentRef()}
 * is the third party's number and is kept as {@link ReferenceKeys#THIRD_PARTY_TRACKING_NUMBER}.
 */
@ApplicationScoped
public class All24Parser implements CarrierParser {

    public static final String FIELD_EVENT_CODE = "event_code";
    /** Envelope header with the third party's number when the poller used the {@code tracking_number} form. */
    public static final String THIRD_PARTY_QUERY = "tracking_number";
    /** all24 sends local times without an offset. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Bangkok");

    @Override
    public Carrier carrier() {
        return Carrier.ALL24;
    }

    @Override
    public List<CarrierFact> parse(RawEnvelope envelope, JsonNode payload)
            throws UnparseableException, CarrierErrorResponse {
        JsonNode root = Json.object(payload, "all24");
        checkResponseCode(root);
        List<CarrierFact> facts = new ArrayList<>();
        boolean anyOrder = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode order = entry.getValue();
            if (order.isObject() && (order.has("history") || order.has("hs_order_ref"))) {
                anyOrder = true;
                facts.addAll(order(entry.getKey(), order, envelope));
            }
        }
        if (!anyOrder) {
            throw new UnparseableException("all24 response holds no order");
        }
        return facts;
    }

    private static void checkResponseCode(JsonNode root) throws CarrierErrorResponse {
        String responseCode = Json.text(root, "response_code");
        JsonNode errors = root.path("error_codes");
        boolean hasErrors = errors.isArray() && !errors.isEmpty();
        if ((responseCode != null && !"200".equals(responseCode)) || hasErrors) {
            String code = hasErrors ? errors.get(0).asText() : responseCode;
            throw new CarrierErrorResponse(
                    code, "all24 answered response_code " + responseCode + " error_codes " + errors);
        }
    }

    private static List<CarrierFact> order(String key, JsonNode order, RawEnvelope envelope)
            throws UnparseableException {
        String trackingNumber = Json.text(order, "hs_order_ref");
        if (trackingNumber == null) {
            trackingNumber = key.strip();
        }
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put(ReferenceKeys.ALL24_TRACKING_NUMBER, trackingNumber);
        String orderRefId = Json.text(order, "order_ref_id");
        if (orderRefId != null) {
            refs.put(ReferenceKeys.ALL24_ORDER_REF_ID, orderRefId);
        }
        String queried = envelope.headers() == null ? null : envelope.headers().get(THIRD_PARTY_QUERY);
        if (queried == null && envelope.shipmentRef() != null) {
            queried = envelope.shipmentRef().strip();
        }
        if (queried != null && !queried.isEmpty() && !queried.equals(trackingNumber)) {
            refs.put(ReferenceKeys.THIRD_PARTY_TRACKING_NUMBER, queried);
        }
        Map<String, String> references = Map.copyOf(refs);
        String expected = Json.text(order, "expected_completion");
        OffsetDateTime eta = expected == null ? null : CarrierTimes.parse(expected, ZONE);

        JsonNode history = order.path("history");
        if (!history.isMissingNode() && !history.isNull() && !history.isArray()) {
            throw new UnparseableException("all24 history is not a list");
        }
        List<CarrierFact> facts = new ArrayList<>();
        for (JsonNode event : history) {
            String code = Json.text(event, FIELD_EVENT_CODE);
            String time = Json.text(event, "event_time");
            if (code == null || time == null) {
                throw new UnparseableException("all24 history entry without event_code or event_time");
            }
            JsonNode at = event.path("location");
            Location location = Location.named(
                    Json.text(at, "location_name"), Json.text(at, "service_area"), Json.text(at, "postcode"));
            facts.add(CarrierFact.builder()
                    .reference(trackingNumber)
                    .references(references)
                    .field(FIELD_EVENT_CODE)
                    .code(code)
                    .text(Json.text(event, "event_name"))
                    .occurredAt(CarrierTimes.parse(time, ZONE))
                    .rawTime(time)
                    .location(location.isEmpty() ? null : location)
                    .eta(eta)
                    .build());
        }
        Collections.reverse(facts); // newest first -> oldest first, keeping equal times in the carrier's order
        facts.sort(Comparator.comparing(CarrierFact::occurredAt)); // stable
        return facts;
    }
}
