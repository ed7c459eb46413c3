package io.trackline.ingest.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of the callback receiver. Account tags take configured names only ({@code unknown} otherwise), so a
 * caller cannot grow the number of series.
 */
@ApplicationScoped
public class WebhookMetrics {

    static final String PREFIX = "trackline.webhooks.";

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        // A strong reference: Micrometer holds a gauge's object weakly by default, and a gauge whose object is gone
        // silently disappears from /q/metrics (seen in the tests, where Quarkus restarts the application in one JVM).
        Gauge.builder(PREFIX + "callbacks.inflight", inFlight, AtomicInteger::get)
                .description("Callbacks waiting for Kafka's acknowledgement now")
                .strongReference(true)
                .register(registry);
    }

    public void received(String carrier, String account) {
        counter("callbacks.received", "carrier", carrier, "account", account).increment();
    }

    public void accepted(String carrier, String account) {
        counter("callbacks.accepted", "carrier", carrier, "account", account).increment();
    }

    public void rejected(String carrier, String account, CallbackRejectedException.Reason reason) {
        counter("callbacks.rejected", "carrier", carrier, "account", account, "reason", reason.code()).increment();
    }

    public void secretMatched(String carrier, String account, SignatureVerifier.Match match) {
        counter("signature.matched", "carrier", carrier, "account", account, "secret",
                match.name().toLowerCase(Locale.ROOT)).increment();
    }

    public void verification(String carrier, Duration took) {
        timer("signature.verification", false, "carrier", carrier).record(took);
    }

    public void published(String carrier, String outcome, Duration took) {
        timer("publish", true, "carrier", carrier, "outcome", outcome).record(took);
    }

    public void enter() {
        inFlight.incrementAndGet();
    }

    public void exit() {
        inFlight.decrementAndGet();
    }

    // Meters are looked up once per name and tags (a bounded set: accounts are configured names or "unknown"),
    // not built and registered again on every callback.
    private Counter counter(String name, String... tags) {
        return (Counter) meters.computeIfAbsent(key(name, tags),
                k -> Counter.builder(PREFIX + name).tags(tags).register(registry));
    }

    private Timer timer(String name, boolean histogram, String... tags) {
        return (Timer) meters.computeIfAbsent(key(name, tags), k -> {
            Timer.Builder builder = Timer.builder(PREFIX + name).tags(tags);
            if (histogram) {
                builder.publishPercentileHistogram();
            }
            return builder.register(registry);
        });
    }

    private static List<String> key(String name, String... tags) {
        String[] key = new String[tags.length + 1];
        key[0] = name;
        System.arraycopy(tags, 0, key, 1, tags.length);
        return Arrays.asList(key);
    }
}
