package io.trackline.sim.carrier.mrspeedy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.Startup;
import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import io.trackline.sim.carrier.CarrierAnswer;
import io.trackline.sim.config.SimConfig;
import io.trackline.sim.service.NoiseService;
import io.trackline.sim.service.Quota;
import io.trackline.sim.service.QuotaBook;
import io.trackline.sim.service.Referee;
import io.trackline.sim.service.SimEngine;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MrSpeedy's Business API 1.0, the calls Trackline makes: {@code GET /orders} (list, for reconciliation) and
 * {@code GET /courier?order_id=}. Every answer has {@code is_successful}; every error is HTTP 400 with
 * {@code errors} (and {@code parameter_errors} for {@code invalid_parameters}), as the document says. In order: the
 * {@code X-DV-Auth-Token} (required_auth_token, invalid_auth_token), the limits (requests_limit_exceeded: 100 a
 * rolling minute and 5,000 a rolling 24 hours per token), injected faults (service_unavailable), the method
 * (invalid_api_method, required_method_get) and its parameters.
 * Created at start-up, so that its quotas are on the referee's list before the first request.
 */
@Startup
@ApplicationScoped
public class MrSpeedyService {

    static final String CARRIER = Carrier.MRSPEEDY.id();
    public static final Set<String> STATUSES =
            Set.of("new", "available", "active", "completed", "reactivated", "draft", "canceled", "delayed");
    /** The document names no paging parameters; these are the defaults of MrSpeedy's Business API family. */
    public static final int DEFAULT_COUNT = 10;

    public static final int MAX_COUNT = 50;

    private final SimEngine engine;
    private final QuotaBook quotas;
    private final Referee referee;
    private final NoiseService noise;
    private final ObjectMapper mapper;
    private final Map<String, String> accountsByToken = new HashMap<>();
    private final Map<String, List<Quota>> limits = new HashMap<>();

    public MrSpeedyService(
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
        SimConfig.MrSpeedy mrspeedy = config.mrspeedy();
        mrspeedy.accounts().forEach((name, account) -> {
            accountsByToken.put(account.authToken(), name);
            limits.put(
                    name,
                    List.of(
                            quotas.rolling(
                                    CARRIER,
                                    name,
                                    "per-minute",
                                    account.perMinuteLimit().orElse(mrspeedy.perMinuteLimit()),
                                    Duration.ofMinutes(1)),
                            quotas.rolling(
                                    CARRIER,
                                    name,
                                    "per-24h",
                                    account.perDayLimit().orElse(mrspeedy.perDayLimit()),
                                    Duration.ofHours(24))));
        });
    }

    /**
     * @param method the HTTP method
     * @param path the API method below {@code /api/business/1.0}: empty, {@code orders}, {@code courier}, ...
     * @param params query parameters, first value of each
     */
    public CarrierAnswer call(String method, String path, String token, Map<String, String> params) {
        boolean known = path.isEmpty() || path.equals("orders") || path.equals("courier");
        // Unknown methods count under one name, so that a client's typos do not multiply the referee's rows.
        String endpoint = method + " /" + (known ? path : "(unknown)");
        if (token == null || token.isBlank()) {
            return error(endpoint, Referee.NO_ACCOUNT, "required_auth_token", null);
        }
        String account = accountsByToken.get(token.strip());
        if (account == null) {
            return error(endpoint, Referee.NO_ACCOUNT, "invalid_auth_token", null);
        }
        if (!quotas.admit(limits.get(account)).admitted()) {
            return error(endpoint, account, "requests_limit_exceeded", null);
        }
        if (noise.fails()) {
            String code = noise.pick(2) == 0 ? "service_unavailable" : "unexpected_error";
            referee.served(CARRIER, account, endpoint, "fault:" + code);
            return new CarrierAnswer(400, bytes(MrSpeedyJson.error(code, null)), "fault:" + code);
        }
        if (!known) {
            return error(endpoint, account, "invalid_api_method", null);
        }
        if (!method.equals("GET")) {
            return error(endpoint, account, "required_method_get", null);
        }
        return switch (path) {
            case "orders" -> orders(endpoint, account, params);
            case "courier" -> courier(endpoint, account, params);
            default -> ok(endpoint, account, bytes(MrSpeedyJson.success()));
        };
    }

    private CarrierAnswer orders(String endpoint, String account, Map<String, String> params) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        unknown(params, Set.of("status", "order_id", "offset", "count"), problems);
        String status = params.get("status");
        if (status != null && !STATUSES.contains(status)) {
            problems.put("status", List.of("invalid_order_status"));
        }
        Long orderId = integer(params, "order_id", 1, Long.MAX_VALUE, problems);
        Long offset = integer(params, "offset", 0, Integer.MAX_VALUE, problems);
        Long count = integer(params, "count", 1, MAX_COUNT, problems);
        if (!problems.isEmpty()) {
            return error(endpoint, account, "invalid_parameters", problems);
        }
        int skip = offset == null ? 0 : offset.intValue();
        int take = count == null ? DEFAULT_COUNT : count.intValue();
        byte[] body = engine.read(repository -> {
            ObjectNode root = MrSpeedyJson.success();
            ArrayNode orders = root.putArray("orders");
            int found = 0;
            Instant now = engine.clock().wallNow();
            for (Shipment shipment : repository.ofAccountDescending(Carrier.MRSPEEDY, account)) {
                if (shipment.revealed() == 0 || (orderId != null && shipment.number() != orderId)) {
                    continue;
                }
                if (status != null && !status.equals(MrSpeedyJson.status(shipment))) {
                    continue;
                }
                if (found >= skip && found < skip + take) {
                    orders.add(MrSpeedyJson.current(shipment));
                    servedInList(shipment, now);
                }
                found++;
            }
            root.put("orders_count", found);
            return bytes(root);
        });
        return ok(endpoint, account, body);
    }

    /** A listed order shows its current status and every visit so far; earlier statuses are not in it. */
    private static void servedInList(Shipment shipment, Instant now) {
        int lastStatus = -1;
        for (int i = 0; i < shipment.revealed(); i++) {
            Step step = shipment.steps().get(i);
            if (step.field().equals(MrSpeedyLifecycle.FIELD_VISIT)) {
                shipment.record(i).served(now, "poll");
            } else {
                lastStatus = i;
            }
        }
        if (lastStatus >= 0) {
            shipment.record(lastStatus).served(now, "poll");
        }
    }

    private CarrierAnswer courier(String endpoint, String account, Map<String, String> params) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        unknown(params, Set.of("order_id"), problems);
        Long orderId = integer(params, "order_id", 1, Long.MAX_VALUE, problems);
        if (orderId == null && !problems.containsKey("order_id")) {
            problems.put("order_id", List.of("required"));
        }
        if (!problems.isEmpty()) {
            return error(endpoint, account, "invalid_parameters", problems);
        }
        byte[] body = engine.read(repository -> {
            Shipment shipment = repository.find(Carrier.MRSPEEDY, Long.toString(orderId));
            if (shipment == null
                    || shipment.revealed() == 0
                    || !shipment.account().equals(account)) {
                return null;
            }
            ObjectNode root = MrSpeedyJson.success();
            root.set("courier", MrSpeedyJson.courierNow(shipment));
            return bytes(root);
        });
        if (body == null) {
            return error(endpoint, account, "invalid_parameters", Map.of("order_id", List.of("invalid_order")));
        }
        return ok(endpoint, account, body);
    }

    private static void unknown(Map<String, String> params, Set<String> known, Map<String, List<String>> problems) {
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                problems.put(name, List.of("unknown"));
            }
        }
    }

    private static Long integer(
            Map<String, String> params, String name, long min, long max, Map<String, List<String>> problems) {
        String text = params.get(name);
        if (text == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            problems.put(name, List.of("invalid_integer"));
            return null;
        }
        if (value < min) {
            problems.put(name, List.of("min_value"));
            return null;
        }
        if (value > max) {
            problems.put(name, List.of("max_value"));
            return null;
        }
        return value;
    }

    private CarrierAnswer ok(String endpoint, String account, byte[] body) {
        referee.served(CARRIER, account, endpoint, "ok");
        return new CarrierAnswer(200, body, "ok");
    }

    private CarrierAnswer error(String endpoint, String account, String code, Map<String, List<String>> problems) {
        referee.served(CARRIER, account, endpoint, code);
        return new CarrierAnswer(400, bytes(MrSpeedyJson.error(code, problems)), code);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
