package io.trackline.pollers.carrier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.events.Carrier;
import io.trackline.pollers.service.PollAnswer;
import io.trackline.pollers.service.Quota;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One attempt of a carrier request, the same for every client: a token from the shared {@link Quota} first, then
 * the request, then the carrier's answer read by the client; counted in {@code trackline.pollers.carrier.requests}:
 * every request a carrier client sent (each attempt of a retry counts),
 * by carrier, account and result ({@code tracked}, {@code not_found}, ..., {@code retryable}), plus
 * {@code no_token} for an attempt the quota refused before anything was sent. Tags are low-cardinality: never a
 * reference, never a credential.
 */
@ApplicationScoped
public class CarrierRequests {

    public static final String METER = "trackline.pollers.carrier.requests";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    private final Quota quota;

    public CarrierRequests(MeterRegistry registry, Quota quota) {
        this.registry = registry;
        this.quota = quota;
    }

    /**
     * One attempt: takes a token of the account's quota, sends {@code request} and reads its answer with
     * {@code reader}. Each client's retrying method calls this once per attempt, so each retry spends a token.
     *
     * @throws NoTokenException        when the quota has no token: nothing was sent, and retrying is pointless
     * @throws RetryableCarrierFailure when the request failed (I/O) or {@code reader} found the answer retryable
     */
    public PollAnswer attempt(
            Carrier carrier,
            String account,
            Supplier<Response> request,
            Function<CarrierResponses, PollAnswer> reader) {
        if (!quota.tryTake(carrier, account)) {
            count(carrier, account, "no_token");
            throw new NoTokenException();
        }
        PollAnswer answer;
        try {
            answer = reader.apply(CarrierResponses.send(request));
        } catch (RetryableCarrierFailure e) {
            count(carrier, account, "retryable");
            throw e;
        }
        count(carrier, account, answer.outcome().name().toLowerCase(Locale.ROOT));
        return answer;
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
