package io.trackline.store.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * {@code trackline.store.consumer.lag}: records of {@code trackline.events.v1} not yet consumed by this instance,
 * summed over its partitions (the Kafka consumer's own {@code records-lag} per partition). The connector announces
 * the consumer it creates as a CDI event.
 */
@ApplicationScoped
public class ConsumerLag {

    private final AtomicReference<Consumer<?, ?>> consumer = new AtomicReference<>();

    public ConsumerLag(MeterRegistry registry) {
        Gauge.builder("trackline.store.consumer.lag", this, ConsumerLag::lag)
                .description("Records of trackline.events.v1 behind the end of the partitions this instance owns")
                .baseUnit("records").register(registry);
    }

    void onConsumer(@Observes Consumer<?, ?> created) {
        consumer.set(created);
    }

    double lag() {
        Consumer<?, ?> c = consumer.get();
        if (c == null) {
            return 0;
        }
        double sum = 0;
        // metrics() reads the client's registry without touching the consumer's state, so any thread may call it.
        for (Map.Entry<MetricName, ? extends Metric> e : c.metrics().entrySet()) {
            MetricName name = e.getKey();
            if ("records-lag".equals(name.name()) && "consumer-fetch-manager-metrics".equals(name.group())
                    && Topics.EVENTS.equals(name.tags().get("topic"))
                    && e.getValue().metricValue() instanceof Double value && !value.isNaN()) {
                sum += value;
            }
        }
        return sum;
    }
}
