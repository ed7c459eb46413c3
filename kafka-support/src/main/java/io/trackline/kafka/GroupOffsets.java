package io.trackline.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a consumer group stands on some partitions, as the broker sees it: the one reading of offsets that
 * {@link GroupLag} (lag in records and seconds of any group) and {@link ConsumerProgress} (lag and stuck partitions
 * of a service's own consumer) share.
 *
 * <p>Topics written in transactions (the events topic under the normalizer's exactly-once; any transactional
 * producer) hold control records, the commit and abort markers, each at an offset no consumer ever receives, so a
 * group that has read everything commits the offset of its last record plus one, and the high watermark stays one or
 * more offsets ahead for ever. The rules, per partition:
 * <ul>
 * <li>The end is the <b>last stable offset</b> (end offsets listed {@link IsolationLevel#READ_COMMITTED}): records of
 * an open transaction are not readable yet.</li>
 * <li>Between the committed offset and that end, an assign-only {@code read_committed} consumer (the {@code reader},
 * no group, nothing committed) looks for the first readable record; its timestamp is the age of what waits. When
 * none is readable before the end (only markers and aborted records), nothing waits: the end is the committed
 * offset.</li>
 * <li>When the group has read everything stable and an open transaction holds records behind it (the high watermark
 * is beyond both), those records wait: the end is the committed offset plus the offsets between the last stable
 * offset and the high watermark. A transaction left open upstream holds a
 * {@code read_committed} consumer back, and that must show as records waiting with the committed offset standing
 * still, i.e. stuck; a transaction that is merely in progress ends within its commit interval, and the group's
 * committed offset moves on.</li>
 * </ul>
 * A partition the group never committed on counts from the log start. Not thread-safe: the reader is one consumer,
 * used by one thread.
 */
public final class GroupOffsets {

    /** The timestamp of the oldest waiting record when none was read (none waits, or not read within the timeout). */
    public static final long UNREAD = Long.MIN_VALUE;

    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * One partition: the group's committed offset (the log start where it never committed), the end as the rules above
     * give it, and the timestamp of the first readable record waiting, or {@link #UNREAD}.
     *
     * @param heldBack records wait only behind an open transaction: nothing is readable yet
     */
    public record Position(TopicPartition partition, long committed, long end, long oldestTimestamp, boolean heldBack) {

        public long records() {
            return Math.max(0, end - committed);
        }

        public boolean waits() {
            return end > committed;
        }
    }

    private final Admin admin;
    private final Consumer<byte[], byte[]> reader;
    private final Duration timeout;

    /**
     * @param admin  used, not owned
     * @param reader an assign-only consumer with {@code isolation.level=read_committed}, used, not owned ({@link #reader})
     */
    public GroupOffsets(Admin admin, Consumer<byte[], byte[]> reader, Duration timeout) {
        this.admin = admin;
        this.reader = reader;
        this.timeout = timeout;
    }

    /**
     * The assign-only reader this class needs, on the service's {@code kafka.*} settings (security included): no group,
     * no auto commit, {@code read_committed}, one small batch per partition (enough to read its first record).
     */
    public static KafkaConsumer<byte[], byte[]> reader(Map<String, ?> kafka, String clientId) {
        Map<String, Object> own = Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1024");
        Map<String, Object> settings = KafkaClients.consumerSettings(kafka, own);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The group's committed offsets, on every partition it has committed on. */
    public Map<TopicPartition, OffsetAndMetadata> committed(String groupId) throws Exception {
        return admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Where the group stands on {@code partitions}, given its {@link #committed} offsets. */
    public Map<TopicPartition, Position> positions(
            Map<TopicPartition, OffsetAndMetadata> committed, Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, Long> stable = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
        Set<TopicPartition> neverCommitted =
                partitions.stream().filter(tp -> committed.get(tp) == null).collect(Collectors.toSet());
        Map<TopicPartition, Long> starts = neverCommitted.isEmpty()
                ? Map.of()
                : offsets(neverCommitted, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> done = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            done.put(tp, c != null ? c.offset() : starts.getOrDefault(tp, 0L));
        }
        Set<TopicPartition> readable = partitions.stream()
                .filter(tp -> stable.getOrDefault(tp, 0L) > done.get(tp))
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> oldest = readable.isEmpty() ? Map.of() : oldest(readable, done, stable);
        // Partitions where nothing stable waits: is an open transaction holding records behind the stable end?
        Set<TopicPartition> maybeHeld = partitions.stream()
                .filter(tp ->
                        !readable.contains(tp) || Long.valueOf(NOTHING_READABLE).equals(oldest.get(tp)))
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> high = maybeHeld.isEmpty()
                ? Map.of()
                : offsets(maybeHeld, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Position> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long from = done.get(tp);
            long stableEnd = Math.max(stable.getOrDefault(tp, from), from);
            Long first = oldest.get(tp);
            if (readable.contains(tp) && first != null && first != NOTHING_READABLE) {
                result.put(tp, new Position(tp, from, stableEnd, first, false));
            } else if (readable.contains(tp) && first == null) {
                // not read within the timeout: records wait, their age unknown for now
                result.put(tp, new Position(tp, from, stableEnd, UNREAD, false));
            } else {
                long highEnd = high.getOrDefault(tp, stableEnd);
                // Nothing readable up to the stable end (markers at most); past it only an open transaction's
                // records can lie: they wait. Else nothing does.
                boolean held = highEnd > stableEnd;
                // The end then counts the offsets behind the stable end only, not the markers before it.
                result.put(tp, new Position(tp, from, held ? from + highEnd - stableEnd : from, UNREAD, held));
            }
        }
        return result;
    }

    /** A partition whose waiting offsets hold no readable record (transaction markers, aborted records). */
    private static final long NOTHING_READABLE = UNREAD + 1;

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> answer = admin.listOffsets(
                        request, new ListOffsetsOptions(isolation))
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return answer.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * The timestamp of the first readable record at or after {@code from} of each partition, within the timeout;
     * {@link #NOTHING_READABLE} for a partition with nothing readable before its stable end; absent when not read in
     * time.
     */
    private Map<TopicPartition, Long> oldest(
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
