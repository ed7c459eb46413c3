package io.trackline.normalizer.messaging;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * A record the normalizer's processor writes: its value's bytes and the partition it must go to, or
 * {@link #ANY_PARTITION} for the producer's default (the key's hash). Canonical events go to the partition number of
 * the raw record they came from (co-partitioning, docs/normalizer.md).
 */
record Outbound(byte[] value, int partition) {

    static final int ANY_PARTITION = -1;

    /** The value's bytes as they are. */
    static final Serializer<Outbound> SERIALIZER = (topic, outbound) -> outbound == null ? null : outbound.value();

    /** The partition an {@link Outbound} names, else the default partitioner's choice. */
    static final StreamPartitioner<byte[], Outbound> PARTITIONER = (topic, key, value, numPartitions) ->
            value == null || value.partition() < 0 ? Optional.empty() : Optional.of(Set.of(value.partition()));
}
