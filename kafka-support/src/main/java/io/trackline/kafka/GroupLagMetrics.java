package io.trackline.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The lag of the consumer groups a service names, as gauges ({@link GroupLag}), switched on by configuration alone so
 * that a service registers its groups without code of its own:
 * <pre>
 * trackline.kafka.lag.groups=trackline-status-store          # comma-separated group ids (or Kafka Streams ids)
 * trackline.kafka.lag.meter-prefix=trackline.store           # the service's meter prefix
 * trackline.kafka.lag.interval=15s                           # refresh period (default 15s)
 * trackline.kafka.lag.timeout=5s                             # each broker round trip (default 5s)
 * </pre>
 * It registers {@code <prefix>.group.lag.records}, {@code <prefix>.group.lag.seconds} and
 * {@code <prefix>.group.stalled.seconds} (records waiting, committed offset unmoved), tagged {@code group},
 * {@code topic}, {@code partition}, refreshed on a daemon thread of its own with one admin client and one assign-only
 * consumer on the service's {@code kafka.*} settings (security included). Every instance of a service reports the
 * whole group, as the broker sees it: read the gauges with {@code max by (group, topic, partition)}. Without
 * {@code trackline.kafka.lag.groups} it does nothing.
 *
 * <p>A CDI bean in a library that is otherwise plain Java, because one service (the normalizer) registers its group by
 * configuration only; the observer is the standard CDI one, so nothing here depends on Quarkus.
 */
@ApplicationScoped
public class GroupLagMetrics {

    public static final String PREFIX = "trackline.kafka.lag.";
    public static final String RECORDS = ".group.lag.records";
    public static final String SECONDS = ".group.lag.seconds";
    public static final String STALLED = ".group.stalled.seconds";

    private static final Logger LOG = Logger.getLogger(GroupLagMetrics.class);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Config config;
    private final Instance<MeterRegistry> registries;
    private final List<GroupLag> groups = new ArrayList<>();
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> reader;
    private ScheduledExecutorService timer;

    @Inject
    public GroupLagMetrics(Config config, Instance<MeterRegistry> registries) {
        this.config = config;
        this.registries = registries;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        List<String> ids = config.getOptionalValues(PREFIX + "groups", String.class).orElse(List.of()).stream()
                .map(String::strip)
                .filter(id -> !id.isEmpty())
                .toList();
        if (ids.isEmpty()) {
            return;
        }
        String prefix = config.getValue(PREFIX + "meter-prefix", String.class);
        Duration interval = duration(PREFIX + "interval", Duration.ofSeconds(15));
        Duration timeout = duration(PREFIX + "timeout", Duration.ofSeconds(5));
        MeterRegistry registry = registries.get();
        start(KafkaClients.prefixed(config, "kafka."), ids, prefix, interval, timeout, registry, Clock.systemUTC());
    }

    /** Starts watching {@code ids} on the brokers of {@code kafka}; public for tests and for code that has no CDI. */
    public synchronized void start(
            Map<String, ?> kafka,
            List<String> ids,
            String prefix,
            Duration interval,
            Duration timeout,
            MeterRegistry registry,
            Clock clock) {
        if (timer != null) {
            return;
        }
        admin = KafkaClients.admin(kafka, "trackline-group-lag", (int) timeout.toMillis());
        reader = GroupOffsets.reader(kafka, "trackline-group-lag");
        List<Runnable> refreshes = new ArrayList<>();
        for (String id : ids) {
            GroupLag lag = new GroupLag(admin, reader, id, timeout, clock);
            groups.add(lag);
            MultiGauge records = MultiGauge.builder(prefix + RECORDS)
                    .description("Records of the topic not yet consumed by the group (end offset minus committed "
                            + "offset), as the broker sees it")
                    .tag("group", id)
                    .baseUnit("records")
                    .register(registry);
            MultiGauge seconds = MultiGauge.builder(prefix + SECONDS)
                    .description("Age of the oldest record the group has not consumed (now minus its timestamp), "
                            + "0 when none waits")
                    .tag("group", id)
                    .baseUnit("seconds")
                    .register(registry);
            MultiGauge stalled = MultiGauge.builder(prefix + STALLED)
                    .description("How long records have waited with the group's committed offset standing still "
                            + "(0 when none waits): a stuck consumer")
                    .tag("group", id)
                    .baseUnit("seconds")
                    .register(registry);
            refreshes.add(() -> {
                GroupLag.Snapshot now = lag.refresh();
                if (now.error() != null) {
                    LOG.debugf("lag of group %s not refreshed: %s", id, now.error());
                    return;
                }
                List<MultiGauge.Row<?>> recordRows = new ArrayList<>();
                List<MultiGauge.Row<?>> secondRows = new ArrayList<>();
                List<MultiGauge.Row<?>> stalledRows = new ArrayList<>();
                for (GroupLag.Partition p : now.partitions()) {
                    Tags tags = Tags.of("topic", p.topic(), "partition", Integer.toString(p.partition()));
                    recordRows.add(MultiGauge.Row.of(tags, p.records()));
                    stalledRows.add(MultiGauge.Row.of(tags, p.stalledSeconds()));
                    if (!Double.isNaN(p.seconds())) {
                        secondRows.add(MultiGauge.Row.of(tags, p.seconds()));
                    }
                }
                records.register(recordRows, true);
                seconds.register(secondRows, true);
                stalled.register(stalledRows, true);
            });
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trackline-group-lag");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> refreshes.forEach(refresh -> {
                    try {
                        refresh.run();
                    } catch (RuntimeException e) {
                        LOG.debugf("group lag not refreshed: %s", e);
                    }
                }),
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.infof(
                "consumer lag of %s measured every %s as %s%s and %s%s",
                ids, interval, prefix, RECORDS, prefix, SECONDS);
    }

    /** The groups watched, each with its last snapshot. */
    public synchronized List<GroupLag> groups() {
        return List.copyOf(groups);
    }

    @PreDestroy
    public synchronized void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
        reader.close();
        admin.close(Duration.ofSeconds(2));
    }

    private Duration duration(String name, Duration otherwise) {
        return config.getOptionalValue(name, String.class)
                .map(String::strip)
                .map(GroupLagMetrics::parse)
                .orElse(otherwise);
    }

    /** {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT15S}). */
    static Duration parse(String value) {
        Matcher m = SHORT_DURATION.matcher(value);
        if (!m.matches()) {
            return Duration.parse(value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
