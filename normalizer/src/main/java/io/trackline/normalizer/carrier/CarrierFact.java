package io.trackline.normalizer.carrier;

import io.trackline.events.Location;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One fact as the carrier states it, before mapping.
 *
 * @param reference   the carrier's primary reference of the shipment (the shipment id is derived from it)
 * @param references  every reference the payload names ({@link io.trackline.events.ReferenceKeys})
 * @param field       which carrier field the code comes from (a mapping table key, e.g. {@code order.status})
 * @param code        the carrier's code in that field
 * @param text        the carrier's text for it, if any
 * @param occurredAt  when it happened, with the offset of the place
 * @param rawTime     the carrier's time text as sent
 * @param location    where, if the carrier says
 * @param eta         estimated delivery, if the carrier says
 * @param reasonField the carrier field of a separate reason code (e.g. 247Express {@code delayCode}), or null
 * @param reasonCode  the carrier's reason code in that field, or null
 * @param state       true when the code is the shipment's current state rather than a dated event (MrSpeedy's order
 *                    status, 247Express's top-level status): such a fact is emitted only when it changes the
 *                    shipment's last known code of that field, because the carrier repeats it on every callback or
 *                    poll with a different time
 *
 * <p>Parsers build one by name with {@link #builder()}.
 */
public record CarrierFact(
        String reference,
        Map<String, String> references,
        String field,
        String code,
        String text,
        OffsetDateTime occurredAt,
        String rawTime,
        Location location,
        OffsetDateTime eta,
        String reasonField,
        String reasonCode,
        boolean state) {

    /** An empty builder: a dated event (not a {@link #state}) without a separate reason unless told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this fact. */
    public Builder toBuilder() {
        return new Builder()
                .reference(reference)
                .references(references)
                .field(field)
                .code(code)
                .text(text)
                .occurredAt(occurredAt)
                .rawTime(rawTime)
                .location(location)
                .eta(eta)
                .reason(reasonField, reasonCode)
                .state(state);
    }

    /**
     * What makes the fact itself, the key of its event id ({@link io.trackline.events.EventIds#of}): the carrier field
     * and its code, and the field and code of a separate reason, if any. Not the mapping version (a re-normalized
     * event keeps its id), not the source (webhook and poll give the same id), not the text (all24 names disagree
     * with codes).
     */
    public String key() {
        String key = field + '=' + code.strip();
        return reasonCode == null ? key : key + ';' + reasonField + '=' + reasonCode;
    }

    /** Builds a {@link CarrierFact} by name; it checks nothing (the normalizer's {@code FactValidator} does). */
    public static final class Builder {

        private String reference;
        private Map<String, String> references;
        private String field;
        private String code;
        private String text;
        private OffsetDateTime occurredAt;
        private String rawTime;
        private Location location;
        private OffsetDateTime eta;
        private String reasonField;
        private String reasonCode;
        private boolean state;

        private Builder() {}

        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        public Builder references(Map<String, String> references) {
            this.references = references;
            return this;
        }

        public Builder field(String field) {
            this.field = field;
            return this;
        }

        public Builder code(String code) {
            this.code = code;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder occurredAt(OffsetDateTime occurredAt) {
            this.occurredAt = occurredAt;
            return this;
        }

        public Builder rawTime(String rawTime) {
            this.rawTime = rawTime;
            return this;
        }

        public Builder location(Location location) {
            this.location = location;
            return this;
        }

        public Builder eta(OffsetDateTime eta) {
            this.eta = eta;
            return this;
        }

        /** A separate reason code and the carrier field it comes from (e.g. 247Express {@code delayCode}). */
        public Builder reason(String reasonField, String reasonCode) {
            this.reasonField = reasonField;
            this.reasonCode = reasonCode;
            return this;
        }

        /** Whether the code is the shipment's current state rather than a dated event ({@link CarrierFact#state}). */
        public Builder state(boolean state) {
            this.state = state;
            return this;
        }

        public CarrierFact build() {
            return new CarrierFact(
                    reference,
                    references,
                    field,
                    code,
                    text,
                    occurredAt,
                    rawTime,
                    location,
                    eta,
                    reasonField,
                    reasonCode,
                    state);
        }
    }
}
