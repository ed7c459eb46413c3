package io.trackline.ingest.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.kafka.MeterCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of the callback receiver. Account tags take configured names only ({@code unknown} otherwise), so a
 * caller cannot grow the number of series.
 */
@ApplicationScoped
public class WebhookMetrics {

    static final String PREFIX = "trackline.webhooks.";

    private final AtomicInteger inFlight = new AtomicInteger();
    /** Meters looked up once per name and tags, not built and registered again on every callback. */
    private final MeterCache meters;

    public WebhookMetrics(MeterRegistry registry) {
        this.meters = new MeterCache(registry, PREFIX);
        // A strong reference: Micrometer holds a gauge's object weakly by default, and a gauge whose object is gone
        // silently disappears from /q/metrics (seen in the tests, where Quarkus restarts the application in one JVM).
        Gauge.builder(PREFIX + "callbacks.inflight", inFlight, AtomicInteger::get)
                .description("Callbacks waiting for Kafka's acknowledgement now")
                .strongReference(true)
                .register(registry);
    }

    public void received(String carrier, String account) {
        meters.counter("callbacks.received", "carrier", carrier, "account", account)
                .increment();
    }

    public void accepted(String carrier, String account) {
        meters.counter("callbacks.accepted", "carrier", carrier, "account", account)
                .increment();
    }

    public void rejected(String carrier, String account, CallbackRejectedException.Reason reason) {
        meters.counter("callbacks.rejected", "carrier", carrier, "account", account, "reason", reason.code())
                .increment();
    }

    public void secretMatched(String carrier, String account, SignatureVerifier.Match match) {
        meters.counter(
                        "signature.matched",
                        "carrier",
                        carrier,
                        "account",
                        account,
                        "secret",
                        match.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    public void verification(String carrier, Duration took) {
        meters.timer("signature.verification", "carrier", carrier).record(took);
    }

    public void published(String carrier, String outcome, Duration took) {
        meters.histogramTimer("publish", "carrier", carrier, "outcome", outcome).record(took);
    }

    public void enter() {
        inFlight.incrementAndGet();
    }

    public void exit() {
        inFlight.decrementAndGet();
    }
}
