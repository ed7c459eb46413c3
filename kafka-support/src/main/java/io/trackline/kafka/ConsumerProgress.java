package io.trackline.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * How far a consumer group is on the partitions of one topic that this instance owns, as the broker sees it: lag is
 * the partition's end offset minus the group's committed offset, both read as {@link GroupOffsets} reads them (the last
 * stable offset, transaction markers not counted, records behind an open transaction counted) (not the consumer's fetch position, which runs ahead
 * of what is processed and reads 0 while a consumer is wedged on a fetched batch). A partition is <em>stuck</em> when
 * records wait on it (lag &gt; 0) and its committed offset has not moved for {@code stuckAfter}.
 *
 * <p>{@link #start} refreshes it on a daemon thread of its own; {@link #bindTo} exposes it as gauges; a service's
 * readiness check reads {@link #snapshot()}. Per refresh: one broker round trip for the committed offsets, one for the
 * end offsets, and a fetch of one small batch from each partition with records waiting.
 */
public final class ConsumerProgress implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerProgress.class);

    /** One partition's progress. {@code committed} is the log start offset where the group never committed. */
    public record Partition(int partition, long endOffset, long committed, Instant lastMoved, boolean stuck) {

        public long lag() {
            return Math.max(0, endOffset - committed);
        }
    }

    /** The last refresh: the owned partitions' progress, or why it could not be read. */
    public record Snapshot(Instant at, List<Partition> partitions, String error) {

        static final Snapshot NONE = new Snapshot(null, List.of(), null);

        public long lag() {
            return partitions.stream().mapToLong(Partition::lag).sum();
        }

        public List<Partition> stuck() {
            return partitions.stream().filter(Partition::stuck).toList();
        }
    }

    private final Admin admin;
    private final GroupOffsets offsets;
    private final String groupId;
    private final String topic;
    private final Duration stuckAfter;
    private final Duration timeout;
    private final Clock clock;
    /** Gauges to register once the topic's partition count is known ({@link #bindWhenKnown}). */
    private volatile Runnable pendingBinding;
    /** Per partition: the committed offset last seen and when it last changed (or when records began to wait). */
    private final Map<Integer, Seen> seen = new HashMap<>();

    private final Map<Integer, Long> lagByPartition = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = Snapshot.NONE;
    private ScheduledExecutorService timer;

    private record Seen(long committed, Instant since) {}

    /**
     * @param admin  used, not owned
     * @param reader an assign-only {@code read_committed} consumer ({@link GroupOffsets#reader}), used, not owned: it
     *               tells records from transaction markers, and is used by the refreshing thread only
     */
    public ConsumerProgress(
            Admin admin,
            Consumer<byte[], byte[]> reader,
            String groupId,
            String topic,
            Duration stuckAfter,
            Duration timeout,
            Clock clock) {
        this.admin = admin;
        this.offsets = new GroupOffsets(admin, reader, timeout);
        this.timeout = timeout;
        this.groupId = groupId;
        this.topic = topic;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
    }

    public String groupId() {
        return groupId;
    }

    public String topic() {
        return topic;
    }

    public Duration stuckAfter() {
        return stuckAfter;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Reads the committed and end offsets of the given partitions now.
     *
     * @param owned partition numbers this instance is assigned; the others are forgotten
     */
    public synchronized Snapshot refresh(Collection<Integer> owned) {
        Instant now = clock.instant();
        seen.keySet().retainAll(owned);
        lagByPartition.keySet().retainAll(owned);
        if (owned.isEmpty()) {
            snapshot = new Snapshot(now, List.of(), null);
            return snapshot;
        }
        try {
            Set<TopicPartition> partitions =
                    owned.stream().map(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
            Map<TopicPartition, GroupOffsets.Position> positions =
                    offsets.positions(offsets.committed(groupId), partitions);
            List<Partition> result = new ArrayList<>();
            for (GroupOffsets.Position position : new TreeMap<>(positions.values().stream()
                            .collect(Collectors.toMap(p -> p.partition().partition(), p -> p)))
                    .values()) {
                int partition = position.partition().partition();
                long done = position.committed();
                long end = position.end();
                Seen before = seen.get(partition);
                Seen now0 = before == null || before.committed() != done || end <= done ? new Seen(done, now) : before;
                seen.put(partition, now0);
                boolean stuck = end > done && !now0.since().plus(stuckAfter).isAfter(now);
                Partition p = new Partition(partition, end, done, now0.since(), stuck);
                lagByPartition.put(partition, p.lag());
                result.add(p);
            }
            snapshot = new Snapshot(now, List.copyOf(result), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            snapshot = new Snapshot(now, snapshot.partitions(), "interrupted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // Offsets not readable (broker away): keep the last figures, say why; the consumer's own health says more.
            snapshot = new Snapshot(now, snapshot.partitions(), cause.getClass().getSimpleName());
        }
        return snapshot;
    }

    /**
     * Registers {@code <name>{topic, partition}} gauges (records behind, per owned partition; a gauge per partition
     * number of the topic, 0 for partitions not owned) and {@code <stuckName>{topic}} (owned partitions stuck now).
     */
    public ConsumerProgress bindTo(MeterRegistry registry, String lagName, String stuckName, int partitionCount) {
        for (int p = 0; p < partitionCount; p++) {
            int partition = p;
            Gauge.builder(lagName, lagByPartition, m -> m.getOrDefault(partition, 0L))
                    .description("Records of " + topic + " not yet processed by " + groupId
                            + " (end offset minus committed offset), per partition this instance owns")
                    .tag("topic", topic)
                    .tag("partition", Integer.toString(partition))
                    .baseUnit("records")
                    .register(registry);
        }
        Gauge.builder(stuckName, this, c -> c.snapshot().stuck().size())
                .description("Partitions of " + topic + " with records waiting and no commit of " + groupId
                        + " for the stuck-after time")
                .tag("topic", topic)
                .register(registry);
        return this;
    }

    /**
     * As {@link #bindTo}, once the topic's partition count can be read (at a refresh, before reading the offsets):
     * a service may start before its topic exists or while the broker is away.
     */
    public ConsumerProgress bindWhenKnown(MeterRegistry registry, String lagName, String stuckName) {
        pendingBinding = () -> {
            try {
                int count = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .get(topic)
                        .partitions()
                        .size();
                bindTo(registry, lagName, stuckName, count);
                pendingBinding = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debugf("partitions of %s not known yet (%s); lag gauges bound later", topic, e);
            }
        };
        return this;
    }

    /** Refreshes every {@code interval} on a daemon thread, for the partitions {@code owned} names at that time. */
    public synchronized ConsumerProgress start(Duration interval, Supplier<? extends Collection<Integer>> owned) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "trackline-consumer-progress-" + groupId);
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(
                    () -> {
                        try {
                            Runnable binding = pendingBinding;
                            if (binding != null) {
                                binding.run();
                            }
                            refresh(owned.get());
                        } catch (RuntimeException e) {
                            LOG.debugf("consumer progress of %s not refreshed: %s", groupId, e);
                        }
                    },
                    0,
                    interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                // the reader is the refreshing thread's: let a refresh in progress end before its owner closes it
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
