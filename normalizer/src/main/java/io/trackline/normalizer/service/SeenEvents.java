package io.trackline.normalizer.service;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is already on {@code trackline.events.v1}, per partition this instance owns: the event ids (with a fingerprint
 * of status and reason) and each shipment's codes per carrier field by time. Rebuilt from the events topic when a raw
 * partition is assigned ({@code messaging.DedupeRebuilder}); the events topic is co-partitioned with the raw topic, so
 * the events of raw partition {@code p} are exactly the events of events partition {@code p}.
 */
@ApplicationScoped
public class SeenEvents {

    /** What to do with a fresh canonical event. */
    public enum Verdict {
        /** Not on the topic yet: publish. */
        NEW,
        /** Same id, another status or reason (re-normalization through a new mapping): publish as a correction. */
        CORRECTION,
        /** Same id already published, or a state that did not change: skip. */
        DUPLICATE
    }

    private final Map<Integer, PartitionState> partitions = new ConcurrentHashMap<>();

    /** The state of one owned partition; an unknown partition starts empty. */
    public PartitionState partition(int partition) {
        return partitions.computeIfAbsent(partition, p -> new PartitionState());
    }

    public void replace(int partition, PartitionState state) {
        partitions.put(partition, state);
    }

    public void drop(int partition) {
        partitions.remove(partition);
    }

    public boolean owns(int partition) {
        return partitions.containsKey(partition);
    }

    /** One partition's memory. Confined to the thread processing the partition; synchronized for the rebuild. */
    public static final class PartitionState {

        private final Map<String, Integer> fingerprints = new HashMap<>();
        /** Per shipment and carrier field: the codes published, by the epoch millisecond they occurred at. */
        private final Map<String, TreeMap<Long, String>> states = new HashMap<>();

        /**
         * @param state true when the event's code is a state (see {@code CarrierFact#state}): it is a duplicate when
         *              the shipment's published code of that field at the event's time is already this code. Judged
         *              by time, not by arrival order, so a replay reaches the same verdicts as the first run.
         */
        public synchronized Verdict judge(CanonicalEvent event, boolean state, boolean renormalizing) {
            Integer seen = fingerprints.get(event.eventId());
            if (seen != null) {
                return renormalizing && seen != fingerprint(event.status(), event.reason())
                        ? Verdict.CORRECTION
                        : Verdict.DUPLICATE;
            }
            if (state && event.rawField() != null) {
                TreeMap<Long, String> codes = states.get(stateKey(event.shipmentId(), event.rawField()));
                Map.Entry<Long, String> before = codes == null
                        ? null
                        : codes.floorEntry(event.occurredAt().toInstant().toEpochMilli());
                if (before != null && before.getValue().equalsIgnoreCase(event.rawCode())) {
                    return Verdict.DUPLICATE;
                }
            }
            return Verdict.NEW;
        }

        public synchronized void record(CanonicalEvent event) {
            record(
                    event.eventId(),
                    event.status(),
                    event.reason(),
                    event.shipmentId(),
                    event.rawField(),
                    event.rawCode(),
                    event.occurredAt() == null ? null : event.occurredAt().toInstant());
        }

        public synchronized void record(
                String eventId,
                CanonicalStatus status,
                CanonicalReason reason,
                String shipmentId,
                String rawField,
                String rawCode,
                Instant occurredAt) {
            fingerprints.put(eventId, fingerprint(status, reason));
            if (shipmentId != null && rawField != null && rawCode != null && occurredAt != null) {
                states.computeIfAbsent(stateKey(shipmentId, rawField), k -> new TreeMap<>())
                        .put(occurredAt.toEpochMilli(), rawCode);
            }
        }

        public synchronized int size() {
            return fingerprints.size();
        }

        private static int fingerprint(CanonicalStatus status, CanonicalReason reason) {
            return Objects.hash(status, reason);
        }

        private static String stateKey(String shipmentId, String field) {
            return shipmentId + '\u0000' + field;
        }
    }
}
