package io.trackline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class MeterCacheTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterCache meters = new MeterCache(registry, "trackline.test.");

    @Test
    void aCounterIsRegisteredOnceUnderThePrefixAndFoundAgainByNameAndTags() {
        Counter first = meters.counter("callbacks.received", "carrier", "mrspeedy", "account", "acme");
        first.increment();
        meters.counter("callbacks.received", "carrier", "mrspeedy", "account", "acme")
                .increment(2);

        assertThat(meters.counter("callbacks.received", "carrier", "mrspeedy", "account", "acme"))
                .isSameAs(first);
        assertThat(registry.get("trackline.test.callbacks.received")
                        .tag("account", "acme")
                        .counter()
                        .count())
                .isEqualTo(3.0);
    }

    @Test
    void otherTagsOrAnotherNameAreAnotherMeter() {
        Counter acme = meters.counter("callbacks.received", "carrier", "mrspeedy", "account", "acme");
        Counter beta = meters.counter("callbacks.received", "carrier", "mrspeedy", "account", "beta");
        Counter accepted = meters.counter("callbacks.accepted", "carrier", "mrspeedy", "account", "acme");
        Counter untagged = meters.counter("callbacks.received");

        assertThat(acme).isNotSameAs(beta).isNotSameAs(accepted).isNotSameAs(untagged);
        assertThat(registry.find("trackline.test.callbacks.received").counters())
                .hasSize(3);
    }

    @Test
    void timersWithAndWithoutAPercentileHistogram() {
        // What each timer asks of the registry (the simple registry itself keeps no percentile buckets).
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Boolean> histogram = new ConcurrentHashMap<>();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                histogram.put(id.getName(), Boolean.TRUE.equals(config.isPercentileHistogram()));
                return config;
            }
        });
        MeterCache meters = new MeterCache(registry, "trackline.test.");

        Timer plain = meters.timer("signature.verification", "carrier", "mrspeedy");
        Timer publish = meters.histogramTimer("publish", "carrier", "mrspeedy", "outcome", "stored");
        publish.record(Duration.ofMillis(3));

        assertThat(meters.timer("signature.verification", "carrier", "mrspeedy"))
                .isSameAs(plain);
        assertThat(meters.histogramTimer("publish", "carrier", "mrspeedy", "outcome", "stored"))
                .isSameAs(publish);
        assertThat(histogram)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "trackline.test.signature.verification", false,
                        "trackline.test.publish", true));
        assertThat(registry.get("trackline.test.publish")
                        .tag("outcome", "stored")
                        .timer()
                        .count())
                .isEqualTo(1);
    }
}
