package io.trackline.sim.carrier.all24;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import io.trackline.sim.carrier.CarrierAnswer;
import io.trackline.sim.config.SimConfig;
import io.trackline.sim.service.NoiseService;
import io.trackline.sim.service.Quota;
import io.trackline.sim.service.QuotaBook;
import io.trackline.sim.service.Referee;
import io.trackline.sim.service.SimEngine;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * all24's {@code /v1/tracking/orders}, by all24 number ({@code all24_tracking_number} or
 * {@code all_24_tracking_number}) or by the third party's ({@code tracking_number} with {@code customer_id}). In
 * order: Basic auth with the API key as user name (401), the key's rate (429 with Retry-After), injected faults
 * (5xx), parameters (400, 1000) and the order (400, 1350). An account only finds its own orders.
 * Created at start-up, so that its quotas are on the referee's list before the first request.
 */
@Startup
@ApplicationScoped
public class All24Service {

    static final String CARRIER = Carrier.ALL24.id();
    public static final int MISSING_PARAMETERS = 1000;
    public static final int ORDER_NOT_FOUND = 1350;
    private static final int[] FAULTS = {500, 502, 503, 504};

    private final SimEngine engine;
    private final QuotaBook quotas;
    private final Referee referee;
    private final NoiseService noise;
    private final ObjectMapper mapper;
    private final Map<String, String> accountsByKey = new HashMap<>();
    private final Map<String, Quota> rates = new HashMap<>();

    public All24Service(
            SimConfig config,
            SimEngine engine,
            QuotaBook quotas,
            Referee referee,
            NoiseService noise,
            ObjectMapper mapper) {
        this.engine = engine;
        this.quotas = quotas;
        this.referee = referee;
        this.noise = noise;
        this.mapper = mapper;
        SimConfig.All24 all24 = config.all24();
        all24.accounts().forEach((name, account) -> {
            accountsByKey.put(account.apiKey(), name);
            rates.put(
                    name,
                    quotas.rolling(
                            CARRIER,
                            name,
                            "rate",
                            account.rateRequests().orElse(all24.rateRequests()),
                            account.rateWindow().orElse(all24.rateWindow())));
        });
    }

    /**
     * @param endpoint how the referee names the call ({@code GET /v1/tracking/orders})
     * @param params query and form parameters, first value of each
     */
    public CarrierAnswer track(String endpoint, String authorization, Map<String, String> params) {
        String account = account(authorization);
        if (account == null) {
            return answer(
                    endpoint,
                    Referee.NO_ACCOUNT,
                    401,
                    Map.of("WWW-Authenticate", "Basic realm=\"all24\""),
                    All24Json.error(401, null),
                    "401");
        }
        QuotaBook.Admission admission = quotas.admit(List.of(rates.get(account)));
        if (!admission.admitted()) {
            long seconds = Math.max(1, ceilSeconds(admission.retryAfter()));
            return answer(
                    endpoint,
                    account,
                    429,
                    Map.of("Retry-After", Long.toString(seconds)),
                    All24Json.error(429, null),
                    "429");
        }
        if (noise.fails()) {
            int status = FAULTS[noise.pick(FAULTS.length)];
            return answer(endpoint, account, status, Map.of(), All24Json.error(status, null), "fault:" + status);
        }
        String number = first(params, "all24_tracking_number", "all_24_tracking_number");
        String thirdParty = first(params, "tracking_number");
        String customerId = first(params, "customer_id");
        if (number == null && (thirdParty == null || customerId == null)) {
            return answer(
                    endpoint,
                    account,
                    400,
                    Map.of(),
                    All24Json.error(400, MISSING_PARAMETERS),
                    Integer.toString(MISSING_PARAMETERS));
        }
        String key = number != null ? number : thirdParty;
        byte[] body = engine.read(repository -> {
            Shipment shipment = number != null
                    ? repository.find(Carrier.ALL24, number)
                    : repository.findByAltReference(Carrier.ALL24, All24Lifecycle.altReference(customerId, thirdParty));
            if (shipment == null || !shipment.account().equals(account)) {
                return null;
            }
            Instant now = engine.clock().wallNow();
            for (int i = 0; i < shipment.revealed(); i++) {
                shipment.record(i).served(now, "poll");
            }
            return bytes(All24Json.tracking(key, shipment));
        });
        if (body == null) {
            return answer(
                    endpoint,
                    account,
                    400,
                    Map.of(),
                    All24Json.error(400, ORDER_NOT_FOUND),
                    Integer.toString(ORDER_NOT_FOUND));
        }
        referee.served(CARRIER, account, endpoint, "ok");
        return new CarrierAnswer(200, body, "ok");
    }

    /** The account of a Basic-auth header whose user name is a known API key (the password is not looked at). */
    private String account(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return accountsByKey.get(colon < 0 ? decoded : decoded.substring(0, colon));
    }

    private CarrierAnswer answer(
            String endpoint, String account, int status, Map<String, String> headers, JsonNode body, String outcome) {
        referee.served(CARRIER, account, endpoint, outcome);
        return new CarrierAnswer(status, headers, bytes(body), outcome);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String first(Map<String, String> params, String... names) {
        for (String name : names) {
            String value = params.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    static long ceilSeconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }
}
