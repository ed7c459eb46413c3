package io.trackline.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag of one consumer group on every partition of every topic it reads, as the broker sees it, in records and in
 * seconds:
 * <ul>
 * <li><b>records</b>: the partition's end minus the group's committed offset, both as {@link GroupOffsets} reads them
 * (the last stable offset; 0 when only transaction markers lie between them; the high watermark when an open
 * transaction holds the group back);</li>
 * <li><b>seconds</b>: now minus the timestamp of the oldest record not yet consumed, the one at the committed offset,
 * read by an assign-only consumer of the monitor's own (no group, nothing committed); 0 when no record waits.</li>
 * </ul>
 * The group's topics are those it has committed offsets on and those assigned to its members now, so any group works
 * without knowing who runs it: a plain consumer's, the pollers' own, a Kafka Streams application's (its application
 * id is its group id). A partition of such a topic the group never committed on counts from the log start, as a
 * consumer with {@code auto.offset.reset=earliest} would read it.
 *
 * <p>Committed offsets, not the consumer's fetch position: a consumer wedged on a fetched batch has a position at the
 * end and a lag of 0 by the client's own metrics, while its committed offset stands still and the seconds grow one per
 * second. Plain Java; {@link GroupLagMetrics} refreshes it and exposes it as gauges. Not thread-safe: one thread
 * refreshes (the consumer is single-threaded), any thread may read {@link #snapshot()}.
 */
public final class GroupLag {

    /**
     * One partition: records behind, the age of the oldest waiting record ({@code NaN} while not read yet), and for how
     * long records have waited with the committed offset standing still ({@code stalledSeconds}, 0 when none waits or
     * it moved since the last refresh: a stuck consumer, whatever the records' timestamps say).
     */
    public record Partition(
            String topic, int partition, long endOffset, long committed, double seconds, double stalledSeconds) {

        public long records() {
            return Math.max(0, endOffset - committed);
        }
    }

    /** The last refresh: every partition's lag, or why it could not be read (the figures before it are kept). */
    public record Snapshot(Instant at, List<Partition> partitions, String error) {

        static final Snapshot NONE = new Snapshot(null, List.of(), null);

        public long records() {
            return partitions.stream().mapToLong(Partition::records).sum();
        }
    }

    private final Admin admin;
    private final GroupOffsets offsets;
    private final String groupId;
    private final Duration timeout;
    private final Clock clock;
    private final Map<TopicPartition, Partition> last = new HashMap<>();
    /** Per partition: since when its committed offset has stood still with records waiting. */
    private final Map<TopicPartition, Instant> stillSince = new HashMap<>();

    private volatile Snapshot snapshot = Snapshot.NONE;

    /**
     * @param admin  used, not owned
     * @param reader an assign-only consumer (no {@code group.id}, no auto commit), used, not owned; the monitor
     *               assigns and seeks it as it needs
     */
    public GroupLag(Admin admin, Consumer<byte[], byte[]> reader, String groupId, Duration timeout, Clock clock) {
        this.admin = admin;
        this.offsets = new GroupOffsets(admin, reader, timeout);
        this.groupId = groupId;
        this.timeout = timeout;
        this.clock = clock;
    }

    public String groupId() {
        return groupId;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Reads the group's offsets, the end offsets and the oldest waiting records' timestamps now; never throws. */
    public Snapshot refresh() {
        Instant now = clock.instant();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = offsets.committed(groupId);
            Set<String> topics = new HashSet<>();
            committed.keySet().forEach(tp -> topics.add(tp.topic()));
            topics.addAll(assignedTopics());
            if (topics.isEmpty()) {
                last.clear();
                stillSince.clear();
                snapshot = new Snapshot(now, List.of(), null);
                return snapshot;
            }
            Map<TopicPartition, GroupOffsets.Position> positions = offsets.positions(committed, partitionsOf(topics));
            Map<TopicPartition, Partition> result =
                    new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                            ? Integer.compare(a.partition(), b.partition())
                            : a.topic().compareTo(b.topic()));
            for (GroupOffsets.Position position : positions.values()) {
                TopicPartition tp = position.partition();
                long done = position.committed();
                boolean waits = position.waits();
                double seconds;
                if (!waits) {
                    seconds = 0;
                } else if (position.oldestTimestamp() != GroupOffsets.UNREAD) {
                    long timestamp = position.oldestTimestamp();
                    seconds = timestamp < 0 ? 0 : Math.max(0, now.toEpochMilli() - timestamp) / 1000.0;
                } else {
                    // Not read in time (or held behind an open transaction): the age last read, if the same record
                    // still waits; else unknown for now.
                    Partition before = last.get(tp);
                    seconds = before != null && before.committed() == done && !Double.isNaN(before.seconds())
                            ? before.seconds()
                                    + Duration.between(this.snapshot.at(), now).toMillis() / 1000.0
                            : Double.NaN;
                }
                Partition before = last.get(tp);
                double stalled = 0;
                if (!waits || before == null || before.committed() != done) {
                    stillSince.put(tp, now);
                } else {
                    stalled = Duration.between(stillSince.getOrDefault(tp, now), now)
                                    .toMillis()
                            / 1000.0;
                }
                result.put(tp, new Partition(tp.topic(), tp.partition(), position.end(), done, seconds, stalled));
            }
            stillSince.keySet().retainAll(result.keySet());
            last.clear();
            last.putAll(result);
            snapshot = new Snapshot(now, List.copyOf(result.values()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            snapshot = new Snapshot(now, snapshot.partitions(), "interrupted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // Broker away or the group unknown to it: keep the last figures, say why.
            snapshot = new Snapshot(now, snapshot.partitions(), cause.getClass().getSimpleName());
        }
        return snapshot;
    }

    /** The topics assigned to the group's members now (a group that has not committed yet still has lag). */
    private Set<String> assignedTopics() throws InterruptedException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(groupId))
                    .describedGroups()
                    .get(groupId)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // A group the broker does not know (yet), or a member protocol it does not describe: its commits still
            // tell.
            return Set.of();
        }
        Set<String> topics = new HashSet<>();
        for (MemberDescription member : group.members()) {
            member.assignment().topicPartitions().forEach(tp -> topics.add(tp.topic()));
        }
        return topics;
    }

    private Set<TopicPartition> partitionsOf(Collection<String> topics) throws Exception {
        Map<String, TopicDescription> described =
                admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Set<TopicPartition> partitions = new HashSet<>();
        described.forEach((name, d) ->
                d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        return partitions;
    }
}
