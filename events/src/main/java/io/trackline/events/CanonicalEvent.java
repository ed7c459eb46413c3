package io.trackline.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One fact about one shipment in Trackline's own vocabulary. The data of the CloudEvents on
 * {@link Topics#EVENTS}, keyed by {@link #shipmentId()}.
 *
 * @param schemaVersion  version of this shape ({@link #SCHEMA_VERSION})
 * @param eventId        stable id ({@link EventIds}): the same fact always has the same id
 * @param shipmentId     {@link ShipmentIds} of the shipment
 * @param carrier        the carrier
 * @param account        Trackline's name for the carrier account
 * @param reference      the carrier's primary reference (MrSpeedy order id, all24 tracking number, 247Express order code)
 * @param references     every reference the carrier gave, by {@link ReferenceKeys} name
 * @param status         canonical status
 * @param reason         canonical reason, where the carrier gives one
 * @param occurredAt     when it happened, with the offset of the place
 * @param location       where it happened, where the carrier says
 * @param rawCode        the carrier's own code (status, event code, delay code)
 * @param rawText        the carrier's own text for it
 * @param rawTime        the carrier's time text as sent, before an offset was added
 * @param source         webhook or poll
 * @param eta            estimated delivery, where the carrier gives one
 * @param mappingVersion version of the mapping table that produced status and reason
 * @param rawField       the carrier field the raw code comes from (a mapping-table key, e.g. {@code event_code},
 *                       {@code delayCode}, {@code order.status}); added in schema version 1, optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanonicalEvent(
        int schemaVersion,
        String eventId,
        String shipmentId,
        Carrier carrier,
        String account,
        String reference,
        Map<String, String> references,
        CanonicalStatus status,
        CanonicalReason reason,
        OffsetDateTime occurredAt,
        Location location,
        String rawCode,
        String rawText,
        String rawTime,
        Source source,
        OffsetDateTime eta,
        String mappingVersion,
        String rawField) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * CloudEvents extension attribute (header {@code ce_mappingversion}) carrying {@link #mappingVersion()}, so a
     * consumer can read it without parsing the data.
     */
    public static final String MAPPING_VERSION_EXTENSION = "mappingversion";

    /** The shape before {@code rawField} was added; kept so existing callers compile. */
    public CanonicalEvent(int schemaVersion, String eventId, String shipmentId, Carrier carrier, String account,
            String reference, Map<String, String> references, CanonicalStatus status, CanonicalReason reason,
            OffsetDateTime occurredAt, Location location, String rawCode, String rawText, String rawTime,
            Source source, OffsetDateTime eta, String mappingVersion) {
        this(schemaVersion, eventId, shipmentId, carrier, account, reference, references, status, reason, occurredAt,
                location, rawCode, rawText, rawTime, source, eta, mappingVersion, null);
    }

    /** CloudEvents {@code type} of every canonical event. */
    public static final String CLOUD_EVENT_TYPE = "io.trackline.shipment.event.v1";

    /** CloudEvents {@code dataschema} of every canonical event. */
    public static final String DATA_SCHEMA = "https://trackline.io/schemas/canonical-event.v1.schema.json";
}
