package io.trackline.pollers.carrier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.events.Carrier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code trackline.pollers.carrier.requests}: every request a carrier client sent (each attempt of a retry counts),
 * by carrier, account and result ({@code tracked}, {@code not_found}, ..., {@code retryable}), plus
 * {@code no_token} for an attempt the quota refused before anything was sent. Tags are low-cardinality: never a
 * reference, never a credential.
 */
@ApplicationScoped
public class CarrierRequests {

    public static final String METER = "trackline.pollers.carrier.requests";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public CarrierRequests(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(Carrier carrier, String account, String result) {
        counters.computeIfAbsent(
                        carrier.id() + '\u0000' + account + '\u0000' + result,
                        k -> Counter.builder(METER)
                                .description(
                                        "Requests sent to a carrier API (each retry counts), and attempts refused by the quota")
                                .tag("carrier", carrier.id())
                                .tag("account", account)
                                .tag("result", result)
                                .register(registry))
                .increment();
    }
}
