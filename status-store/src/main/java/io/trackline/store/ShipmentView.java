package io.trackline.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.TracklineJson;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A shipment as the query API and the live stream show it: the one definition of that JSON, written by Jackson
 * ({@link TracklineJson}) from a {@link Shipment} row whether it was read by a query or heard as a change.
 *
 * @param statusAt      event time of the event the status comes from
 * @param statusEventId id of that event
 * @param lastEventAt   event time of the latest event of the timeline (which may not have moved the status)
 * @param updatedAt     when the store last changed this shipment (a new event stored); the order of list pages
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShipmentView(
        String shipmentId,
        String carrier,
        String account,
        String reference,
        Map<String, String> references,
        String status,
        String reason,
        OffsetDateTime statusAt,
        String statusEventId,
        OffsetDateTime lastEventAt,
        String lastEventId,
        OffsetDateTime eta,
        OffsetDateTime updatedAt) {

    private static final TypeReference<Map<String, String>> REFERENCES = new TypeReference<>() {};
    private static final TypeReference<JsonNode> NODE = new TypeReference<>() {};

    public static ShipmentView of(Shipment s) {
        return new ShipmentView(
                s.id,
                s.carrier,
                s.account,
                s.reference,
                readJson(s.referencesJson, REFERENCES),
                s.status,
                s.reason,
                s.statusEventAt,
                s.statusEventId,
                s.lastEventAt,
                s.lastEventId,
                s.eta,
                s.updatedAt);
    }

    public static JsonNode event(TimelineEvent e) {
        return readJson(e.eventJson, NODE);
    }

    private static <T> T readJson(String json, TypeReference<T> type) {
        try {
            return json == null ? null : TracklineJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }

    /** A shipment with its timeline, oldest event first; events are the canonical events as published. */
    public record WithTimeline(ShipmentView shipment, List<JsonNode> events) {}

    /** One page of shipments, oldest change first; {@code next} is the cursor of the next page, absent on the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(List<ShipmentView> items, String next) {}
}
