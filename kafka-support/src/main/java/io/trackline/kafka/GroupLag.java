package io.trackline.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag of one consumer group on every partition of every topic it reads, as the broker sees it, in records and in
 * seconds:
 * <ul>
 * <li><b>records</b>: the partition's end offset (the last stable offset: records of open transactions are not yet
 * readable) minus the group's committed offset; 0 when only transaction markers lie between them;</li>
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

    private static final Duration POLL = Duration.ofMillis(100);
    /** A partition whose waiting offsets hold no readable record (transaction markers, aborted records). */
    private static final long NOTHING_READABLE = Long.MIN_VALUE;

    private final Admin admin;
    private final Consumer<byte[], byte[]> reader;
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
        this.reader = reader;
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
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> topics = new HashSet<>();
            committed.keySet().forEach(tp -> topics.add(tp.topic()));
            topics.addAll(assignedTopics());
            if (topics.isEmpty()) {
                last.clear();
                stillSince.clear();
                snapshot = new Snapshot(now, List.of(), null);
                return snapshot;
            }
            Set<TopicPartition> partitions = partitionsOf(topics);
            Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
            Set<TopicPartition> neverCommitted =
                    partitions.stream().filter(tp -> committed.get(tp) == null).collect(Collectors.toSet());
            Map<TopicPartition, Long> starts =
                    neverCommitted.isEmpty() ? Map.of() : offsets(neverCommitted, OffsetSpec.earliest());
            Map<TopicPartition, Long> done = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                done.put(tp, c != null ? c.offset() : starts.getOrDefault(tp, 0L));
            }
            Set<TopicPartition> waiting = partitions.stream()
                    .filter(tp -> ends.getOrDefault(tp, 0L) > done.get(tp))
                    .collect(Collectors.toSet());
            Map<TopicPartition, Long> oldest = waiting.isEmpty() ? Map.of() : timestamps(waiting, done, ends);
            Map<TopicPartition, Partition> result =
                    new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                            ? Integer.compare(a.partition(), b.partition())
                            : a.topic().compareTo(b.topic()));
            for (TopicPartition tp : partitions) {
                // Between the committed offset and the end only transaction markers (or aborted records): nothing
                // waits. A consumer of a transactional topic commits the offset after its last record, the marker
                // after it stays, and would otherwise read as one record behind and stalled for ever.
                boolean nothingReadable = Long.valueOf(NOTHING_READABLE).equals(oldest.get(tp));
                boolean waits = waiting.contains(tp) && !nothingReadable;
                long end = nothingReadable ? done.get(tp) : Math.max(ends.getOrDefault(tp, done.get(tp)), done.get(tp));
                double seconds;
                if (!waits) {
                    seconds = 0;
                } else if (oldest.containsKey(tp)) {
                    long timestamp = oldest.get(tp);
                    seconds = timestamp < 0 ? 0 : Math.max(0, now.toEpochMilli() - timestamp) / 1000.0;
                } else {
                    // Not read in time: the age last read, if the same record still waits; else unknown for now.
                    Partition before = last.get(tp);
                    seconds = before != null && before.committed() == done.get(tp)
                            ? before.seconds()
                                    + Duration.between(this.snapshot.at(), now).toMillis() / 1000.0
                            : Double.NaN;
                }
                Partition before = last.get(tp);
                double stalled = 0;
                if (!waits || before == null || before.committed() != done.get(tp)) {
                    stillSince.put(tp, now);
                } else {
                    stalled = Duration.between(stillSince.getOrDefault(tp, now), now)
                                    .toMillis()
                            / 1000.0;
                }
                result.put(tp, new Partition(tp.topic(), tp.partition(), end, done.get(tp), seconds, stalled));
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

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> answer = admin.listOffsets(
                        request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return answer.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * The timestamp of the first readable record at or after the committed offset of each waiting partition, within
     * the timeout; {@link #NOTHING_READABLE} for a partition with nothing readable before its end (only transaction
     * markers wait).
     */
    private Map<TopicPartition, Long> timestamps(
            Set<TopicPartition> waiting, Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> found = new HashMap<>();
        Set<TopicPartition> pending = new HashSet<>(waiting);
        reader.assign(pending);
        pending.forEach(tp -> reader.seek(tp, from.get(tp)));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = reader.poll(POLL);
                for (TopicPartition tp : new ArrayList<>(pending)) {
                    List<ConsumerRecord<byte[], byte[]>> read = records.records(tp);
                    if (!read.isEmpty()) {
                        found.put(tp, read.get(0).timestamp());
                        pending.remove(tp);
                        reader.pause(List.of(tp));
                    } else if (reader.position(tp, timeout) >= ends.get(tp)) {
                        found.put(tp, NOTHING_READABLE);
                        pending.remove(tp);
                        reader.pause(List.of(tp));
                    }
                }
            }
        } finally {
            reader.assign(List.of());
        }
        return found;
    }
}
