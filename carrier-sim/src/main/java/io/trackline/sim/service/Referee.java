package io.trackline.sim.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every request the carriers served, by carrier, account, endpoint and outcome (the carrier's own code:
 * {@code ok}, {@code 1350}, {@code APIKEY_LIMIT}, {@code requests_limit_exceeded}, ...; {@code fault:...} for a
 * failure the noise injected). Requests without a known credential count under account {@code -}.
 */
@ApplicationScoped
public class Referee {

    public static final String NO_ACCOUNT = "-";

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    public Referee(MeterRegistry registry) {
        this.registry = registry;
    }

    public record RequestKey(String carrier, String account, String endpoint, String outcome) {}

    public record RequestCount(String carrier, String account, String endpoint, String outcome, long count) {}

    public void served(String carrier, String account, String endpoint, String outcome) {
        requests.computeIfAbsent(new RequestKey(carrier, account, endpoint, outcome), key -> new LongAdder())
                .increment();
        registry.counter(
                        "trackline.sim.requests.served",
                        "carrier",
                        carrier,
                        "account",
                        account,
                        "endpoint",
                        endpoint,
                        "outcome",
                        outcome)
                .increment();
    }

    public List<RequestCount> requests(String carrier) {
        List<RequestCount> out = new ArrayList<>();
        requests.forEach((key, count) -> {
            if (carrier == null || carrier.equals(key.carrier())) {
                out.add(new RequestCount(key.carrier(), key.account(), key.endpoint(), key.outcome(), count.sum()));
            }
        });
        out.sort(Comparator.comparing(RequestCount::carrier)
                .thenComparing(RequestCount::account)
                .thenComparing(RequestCount::endpoint)
                .thenComparing(RequestCount::outcome));
        return out;
    }
}
