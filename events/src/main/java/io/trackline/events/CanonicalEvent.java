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
 * @param reversal       true when the carrier's code may move a shipment out of a final status (a reactivation, a
 *                       return after delivery): the {@code reversal} flag of the mapping row that gave the status.
 *                       Added in schema version 1, optional: {@code null} in events written before it existed, for
 *                       which the reader decides from the status as it did then ({@code StatusRules} in
 *                       status-store)
 *
 * <p>Build one by name with {@link #builder()}; {@link #toBuilder()} copies one to change a few fields.
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
        String rawField,
        Boolean reversal) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * CloudEvents extension attribute (header {@code ce_mappingversion}) carrying {@link #mappingVersion()}, so a
     * consumer can read it without parsing the data.
     */
    public static final String MAPPING_VERSION_EXTENSION = "mappingversion";

    /** CloudEvents {@code type} of every canonical event. */
    public static final String CLOUD_EVENT_TYPE = "io.trackline.shipment.event.v1";

    /** CloudEvents {@code dataschema} of every canonical event. */
    public static final String DATA_SCHEMA = "https://trackline.io/schemas/canonical-event.v1.schema.json";

    /** A builder with {@link #schemaVersion()} set to {@link #SCHEMA_VERSION} and every other field empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this event. */
    public Builder toBuilder() {
        return new Builder()
                .schemaVersion(schemaVersion)
                .eventId(eventId)
                .shipmentId(shipmentId)
                .carrier(carrier)
                .account(account)
                .reference(reference)
                .references(references)
                .status(status)
                .reason(reason)
                .occurredAt(occurredAt)
                .location(location)
                .rawCode(rawCode)
                .rawText(rawText)
                .rawTime(rawTime)
                .source(source)
                .eta(eta)
                .mappingVersion(mappingVersion)
                .rawField(rawField)
                .reversal(reversal);
    }

    /**
     * Builds a {@link CanonicalEvent} field by field, by name. It checks nothing: which fields an event needs is the
     * JSON Schema's to say and each consumer's to check (status-store parks an event that lacks one).
     */
    public static final class Builder {

        private int schemaVersion = SCHEMA_VERSION;
        private String eventId;
        private String shipmentId;
        private Carrier carrier;
        private String account;
        private String reference;
        private Map<String, String> references;
        private CanonicalStatus status;
        private CanonicalReason reason;
        private OffsetDateTime occurredAt;
        private Location location;
        private String rawCode;
        private String rawText;
        private String rawTime;
        private Source source;
        private OffsetDateTime eta;
        private String mappingVersion;
        private String rawField;
        private Boolean reversal;

        private Builder() {}

        public Builder schemaVersion(int schemaVersion) {
            this.schemaVersion = schemaVersion;
            return this;
        }

        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder shipmentId(String shipmentId) {
            this.shipmentId = shipmentId;
            return this;
        }

        public Builder carrier(Carrier carrier) {
            this.carrier = carrier;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        public Builder references(Map<String, String> references) {
            this.references = references;
            return this;
        }

        public Builder status(CanonicalStatus status) {
            this.status = status;
            return this;
        }

        public Builder reason(CanonicalReason reason) {
            this.reason = reason;
            return this;
        }

        public Builder occurredAt(OffsetDateTime occurredAt) {
            this.occurredAt = occurredAt;
            return this;
        }

        public Builder location(Location location) {
            this.location = location;
            return this;
        }

        public Builder rawCode(String rawCode) {
            this.rawCode = rawCode;
            return this;
        }

        public Builder rawText(String rawText) {
            this.rawText = rawText;
            return this;
        }

        public Builder rawTime(String rawTime) {
            this.rawTime = rawTime;
            return this;
        }

        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        public Builder eta(OffsetDateTime eta) {
            this.eta = eta;
            return this;
        }

        public Builder mappingVersion(String mappingVersion) {
            this.mappingVersion = mappingVersion;
            return this;
        }

        public Builder rawField(String rawField) {
            this.rawField = rawField;
            return this;
        }

        public Builder reversal(Boolean reversal) {
            this.reversal = reversal;
            return this;
        }

        public CanonicalEvent build() {
            return new CanonicalEvent(
                    schemaVersion,
                    eventId,
                    shipmentId,
                    carrier,
                    account,
                    reference,
                    references,
                    status,
                    reason,
                    occurredAt,
                    location,
                    rawCode,
                    rawText,
                    rawTime,
                    source,
                    eta,
                    mappingVersion,
                    rawField,
                    reversal);
        }
    }
}
