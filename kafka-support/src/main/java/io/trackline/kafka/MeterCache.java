package io.trackline.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's counters and timers, each looked up once per name and tags rather than built and registered again on
 * every event: {@code Counter.builder(...).register(registry)} allocates a builder and an id and takes the registry's
 * lock path on each call, which is measurable on a hot path (a callback or a record). The tags must come from a
 * bounded set (carrier, account names that are configured, outcome, reason code), never from what a caller sends,
 * or the cache and the number of series grow without bound.
 *
 * <p>Here rather than in a service because every service keeps such meters and all of them depend on kafka-support
 * (which needs Micrometer for its own gauges anyway).
 */
public final class MeterCache {

    private final MeterRegistry registry;
    private final String prefix;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** Name and tags as given (tag names and values alternating); equal by content. */
    private record Key(String name, String[] tags) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && name.equals(k.name) && Arrays.equals(tags, k.tags);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(tags);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(tags);
        }
    }

    /** @param prefix put before every name, e.g. {@code trackline.normalizer.} */
    public MeterCache(MeterRegistry registry, String prefix) {
        this.registry = registry;
        this.prefix = prefix;
    }

    /** The counter {@code prefix + name} with these tags (name, value, name, value, ...), registered on first use. */
    public Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(
                new Key(name, tags),
                k -> Counter.builder(prefix + name).tags(tags).register(registry));
    }

    /** The timer {@code prefix + name} with these tags, registered on first use. */
    public Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(
                new Key(name, tags),
                k -> Timer.builder(prefix + name).tags(tags).register(registry));
    }

    /**
     * As {@link #timer}, with a percentile histogram published (buckets for a server-side {@code histogram_quantile}).
     * Whether a timer has one is decided when it is first registered: use one of the two methods per name.
     */
    public Timer histogramTimer(String name, String... tags) {
        return timers.computeIfAbsent(
                new Key(name, tags),
                k -> Timer.builder(prefix + name)
                        .tags(tags)
                        .publishPercentileHistogram()
                        .register(registry));
    }
}
