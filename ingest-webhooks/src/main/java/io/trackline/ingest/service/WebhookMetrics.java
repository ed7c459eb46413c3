package io.trackline.ingest.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(PREFIX + "callbacks.inflight", inFlight);
    }

    public void received(String carrier, String account) {
        Counter.builder(PREFIX + "callbacks.received").tag("carrier", carrier).tag("account", account)
                .register(registry).increment();
    }

    public void accepted(String carrier, String account) {
        Counter.builder(PREFIX + "callbacks.accepted").tag("carrier", carrier).tag("account", account)
                .register(registry).increment();
    }

    public void rejected(String carrier, String account, CallbackRejectedException.Reason reason) {
        Counter.builder(PREFIX + "callbacks.rejected").tag("carrier", carrier).tag("account", account)
                .tag("reason", reason.code()).register(registry).increment();
    }

    public void secretMatched(String carrier, String account, SignatureVerifier.Match match) {
        Counter.builder(PREFIX + "signature.matched").tag("carrier", carrier).tag("account", account)
                .tag("secret", match.name().toLowerCase()).register(registry).increment();
    }

    public void verification(String carrier, Duration took) {
        Timer.builder(PREFIX + "signature.verification").tag("carrier", carrier).register(registry).record(took);
    }

    public void published(String carrier, String outcome, Duration took) {
        Timer.builder(PREFIX + "publish").tag("carrier", carrier).tag("outcome", outcome)
                .publishPercentileHistogram().register(registry).record(took);
    }

    public void enter() {
        inFlight.incrementAndGet();
    }

    public void exit() {
        inFlight.decrementAndGet();
    }
}
