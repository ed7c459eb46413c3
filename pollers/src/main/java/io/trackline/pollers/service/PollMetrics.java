package io.trackline.pollers.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.kafka.MeterCache;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's meters ({@code trackline.pollers.*}; docs/pollers.md lists them). Tags are carrier, configured
 * account, outcome, status, reason, partition: bounded sets, never a reference.
 */
public final class PollMetrics {

    /** The {@code status} tag of a subscription whose status is not known yet. */
    static final String NO_STATUS = "none";

    private final MeterRegistry registry;
    private final MeterCache meters;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public PollMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.meters = new MeterCache(registry, "trackline.pollers.");
        for (Carrier c : Carrier.values()) {
            for (RetireReason r : RetireReason.values()) {
                meters.counter("subscriptions.retired", "carrier", c.id(), "reason", r.id());
            }
        }
        meters.counter("ticks");
    }

    /** One look-up and what it came back with ({@link PollAnswer.Outcome}, lower case, or {@code failed}). */
    public void polled(Carrier carrier, String account, String outcome, long nanos) {
        meters.counter("polls", "carrier", carrier.id(), "account", account, "outcome", outcome)
                .increment();
        meters.timer("poll.duration", "carrier", carrier.id()).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A tracked answer that differed from the last published one, published to trackline.raw.v1. */
    public void published(Carrier carrier, String account) {
        meters.counter("answers.published", "carrier", carrier.id(), "account", account)
                .increment();
    }

    /** A tracked answer equal to the last published one: nothing published. */
    public void unchanged(Carrier carrier, String account) {
        meters.counter("answers.unchanged", "carrier", carrier.id(), "account", account)
                .increment();
    }

    public void publishFailed(Carrier carrier) {
        meters.counter("answers.publish.failed", "carrier", carrier.id()).increment();
    }

    /** A subscription that was due but not asked: {@code no_client}, {@code recent_news}, {@code claimed_elsewhere}. */
    public void skipped(Carrier carrier, String reason) {
        meters.counter("polls.skipped", "carrier", carrier.id(), "reason", reason)
                .increment();
    }

    public void retired(Carrier carrier, RetireReason reason) {
        meters.counter("subscriptions.retired", "carrier", carrier.id(), "reason", reason.id())
                .increment();
    }

    /** Time from the previous look-up to the one that found the answer changed: the most a change waited. */
    public void changeGap(Carrier carrier, Duration gap) {
        meters.histogramTimer("detection.gap", "carrier", carrier.id()).record(gap);
    }

    /**
     * Time from a status change as the carrier dated it (the canonical event's occurredAt) to the publication of the
     * answer that first carried it: the carrier-side detection delay of changes found by polling.
     */
    public void detectionDelay(Carrier carrier, Duration delay) {
        meters.histogramTimer("detection.delay", "carrier", carrier.id()).record(delay);
    }

    public void tick(long nanos) {
        meters.counter("ticks").increment();
        meters.timer("tick.duration").record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Subscriptions being polled, by carrier and status ({@code none} before the first event). */
    public void active(Map<Carrier, Map<String, Long>> counts) {
        for (Carrier c : Carrier.values()) {
            Map<String, Long> byStatus = counts.getOrDefault(c, Map.of());
            for (CanonicalStatus s : CanonicalStatus.values()) {
                String tag = s.name().toLowerCase(Locale.ROOT);
                gauge("subscriptions.active", Tags.of("carrier", c.id(), "status", tag))
                        .set(byStatus.getOrDefault(tag, 0L));
            }
            gauge("subscriptions.active", Tags.of("carrier", c.id(), "status", NO_STATUS))
                    .set(byStatus.getOrDefault(NO_STATUS, 0L));
        }
    }

    /** Subscriptions held for one owned partition (retired ones included), and how many of them are due now. */
    public void queue(int partition, long depth, long due) {
        gauge("queue.depth", Tags.of("partition", Integer.toString(partition))).set(depth);
        gauge("queue.due", Tags.of("partition", Integer.toString(partition))).set(due);
    }

    /** A revoked partition: its gauges read 0 on this instance. */
    public void queueGone(int partition) {
        queue(partition, 0, 0);
    }

    private AtomicLong gauge(String name, Tags tags) {
        return gauges.computeIfAbsent(name + tags, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("trackline.pollers." + name, value, AtomicLong::get)
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            return value;
        });
    }
}
