package io.trackline.kafka;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions of one topic a consumer of this instance is assigned now, kept by its rebalance listener and read
 * from any thread (by {@link ConsumerProgress}, health checks, metrics).
 */
public final class AssignedPartitions {

    private final String topic;
    private final Set<Integer> partitions = new ConcurrentSkipListSet<>();

    public AssignedPartitions(String topic) {
        this.topic = topic;
    }

    public void assigned(Collection<TopicPartition> added) {
        added.stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> partitions.add(tp.partition()));
    }

    public void revoked(Collection<TopicPartition> removed) {
        removed.stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> partitions.remove(tp.partition()));
    }

    /** A copy, in partition order. */
    public Set<Integer> now() {
        return new TreeSet<>(partitions);
    }
}
