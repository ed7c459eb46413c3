package io.trackline.normalizer.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.EventIds;
import io.trackline.events.RawEnvelope;
import io.trackline.events.ShipmentIds;
import io.trackline.normalizer.carrier.CarrierErrorResponse;
import io.trackline.normalizer.carrier.CarrierFact;
import io.trackline.normalizer.carrier.CarrierParser;
import io.trackline.normalizer.carrier.Json;
import io.trackline.normalizer.carrier.UnparseableException;
import io.trackline.normalizer.mapping.Mapping;
import io.trackline.normalizer.mapping.MappingTable;
import io.trackline.normalizer.mapping.MappingTables;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raw envelope in, canonical events out: the carrier's parser reads the facts, the carrier's mapping table gives
 * status and reason. Knows no carrier code itself. An unmapped code becomes {@code UNKNOWN} with the raw code kept.
 */
@ApplicationScoped
public class Normalizer {

    private final Map<Carrier, CarrierParser> parsers = new EnumMap<>(Carrier.class);
    private final MappingTables tables;
    private final NormalizerMetrics metrics;
    private final FactValidator validator;

    @Inject
    public Normalizer(
            Instance<CarrierParser> parsers, MappingTables tables, NormalizerMetrics metrics, FactValidator validator) {
        this(parsers.stream().toList(), tables, metrics, validator);
    }

    /** For plain tests and tools: the given parsers, the default validation limits. */
    public Normalizer(List<CarrierParser> parsers, MappingTables tables, NormalizerMetrics metrics) {
        this(parsers, tables, metrics, new FactValidator(FactValidator.Limits.DEFAULTS, metrics, Clock.systemUTC()));
    }

    public Normalizer(
            List<CarrierParser> parsers, MappingTables tables, NormalizerMetrics metrics, FactValidator validator) {
        parsers.forEach(p -> this.parsers.put(p.carrier(), p));
        this.tables = tables;
        this.metrics = metrics;
        this.validator = validator;
    }

    /** A canonical event and whether its fact is a state (emitted only when it changes; see {@link CarrierFact}). */
    public record Normalized(CanonicalEvent event, boolean state) {}

    /**
     * @return the payload's facts as canonical events, oldest first; empty for a carrier error answer (counted)
     * @throws UnparseableException when the payload cannot be read or holds what downstream cannot hold
     *                              ({@link FactValidator}): the record belongs on the dead-letter topic, with the
     *                              exception's code
     */
    public List<Normalized> normalize(RawEnvelope envelope) throws UnparseableException {
        return normalize(envelope, null);
    }

    /**
     * Like {@link #normalize(RawEnvelope)}, with the payload already read as JSON ({@code RawRecords.read} gives
     * the tree of an old version 2 envelope with the envelope itself).
     *
     * @param payload the payload's tree; null reads it from the envelope's bytes, if they are JSON
     */
    public List<Normalized> normalize(RawEnvelope envelope, JsonNode payload) throws UnparseableException {
        if (envelope.carrier() == null || envelope.account() == null || envelope.payload() == null) {
            throw new UnparseableException("envelope has no carrier, account or payload");
        }
        CarrierParser parser = parsers.get(envelope.carrier());
        if (parser == null) {
            throw new UnparseableException("no parser for carrier " + envelope.carrier());
        }
        JsonNode tree = payload != null ? payload : Json.tree(envelope.payload(), parser.shape());
        if (tree == null && hasNulByte(envelope.payload())) {
            throw new UnparseableException(envelope.carrier().id() + " payload is not UTF-8 JSON: it holds 0x00 bytes"
                    + " (UTF-16 or UTF-32 text?)");
        }
        List<CarrierFact> facts;
        try {
            facts = parser.parse(envelope, tree);
        } catch (CarrierErrorResponse e) {
            metrics.carrierError(envelope.carrier().id(), e.code());
            return List.of();
        }
        facts = validator.check(envelope, facts);
        MappingTable table = tables.table(envelope.carrier());
        List<Normalized> events = new ArrayList<>(facts.size());
        for (CarrierFact fact : facts) {
            events.add(new Normalized(toEvent(envelope, table, fact), fact.state()));
        }
        return events;
    }

    private CanonicalEvent toEvent(RawEnvelope envelope, MappingTable table, CarrierFact fact)
            throws UnparseableException {
        String carrier = envelope.carrier().id();
        Optional<Mapping> mapping = table.find(fact.field(), fact.code());
        if (mapping.isPresent() && !mapping.get().nameAgrees(fact.text())) {
            metrics.nameDisagreement(carrier, fact.field());
        }
        if (mapping.isEmpty()) {
            mapping = table.findByName(fact.field(), fact.text());
            if (mapping.isPresent()) {
                metrics.mappedByName(carrier, fact.field());
            }
        }
        if (mapping.isEmpty()) {
            metrics.unmapped(carrier, fact.field());
        }
        CanonicalStatus status = mapping.map(Mapping::status).orElse(CanonicalStatus.UNKNOWN);
        CanonicalReason reason = mapping.map(Mapping::reason).orElse(null);
        if (fact.reasonField() != null && fact.reasonCode() != null) {
            Optional<Mapping> reasonRow = table.find(fact.reasonField(), fact.reasonCode());
            if (reasonRow.isPresent() && reasonRow.get().reason() != null) {
                reason = reasonRow.get().reason();
            } else if (reasonRow.isEmpty()) {
                metrics.unmapped(carrier, fact.reasonField());
                reason = reason == null ? CanonicalReason.OTHER : reason;
            }
        }
        String shipmentId;
        try {
            shipmentId = ShipmentIds.of(envelope.carrier(), envelope.account(), fact.reference());
        } catch (IllegalArgumentException e) {
            throw new UnparseableException("no shipment id: " + e.getMessage());
        }
        return CanonicalEvent.builder()
                .eventId(EventIds.of(shipmentId, fact.key(), fact.occurredAt()))
                .shipmentId(shipmentId)
                .carrier(envelope.carrier())
                .account(envelope.account())
                .reference(fact.reference())
                .references(fact.references())
                .status(status)
                .reason(reason)
                .occurredAt(fact.occurredAt())
                .location(fact.location())
                .rawCode(fact.code())
                .rawText(
                        fact.text() != null
                                ? fact.text()
                                : mapping.map(Mapping::description).orElse(null))
                .rawTime(fact.rawTime())
                .source(envelope.source())
                .eta(fact.eta())
                .mappingVersion(table.version())
                .rawField(fact.field())
                .reversal(mapping.map(Mapping::reversal).orElse(false))
                .build();
    }

    private static boolean hasNulByte(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
