package io.trackline.sim.carrier.express247;

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
import java.text.NumberFormat;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * 247Express's {@code /api/Order/v1/Tracking}. Errors are HTTP 200 with {@code errorCode} and {@code errorMessage}
 * (the document gives codes, no HTTP status). In order: the key (MISSING_APIKEY, APIKEY_NOT_FOUND), the quotas
 * (APIKEY_LIMIT: every request with a known key is a look-up, a malformed one too, so a client validates first),
 * injected faults (EXCEPTION), the order code (MISSING_ORDERCODE, ORDERCODE_MIN_LENGTH, ORDERCODE_MAX_LENGTH,
 * ORDERCODE_FORMAT_EXCEPTION) and the order (ORDERCODE_NOT_FOUND, ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT).
 * Parameter names match case-insensitively, as ASP.NET binds them: {@code apikey}, {@code apiKey}, {@code ordercode}.
 * Created at start-up, so that its quotas are on the referee's list before the first request.
 */
@Startup
@ApplicationScoped
public class Express247Service {

    static final String CARRIER = Carrier.EXPRESS247.id();
    public static final String ENDPOINT = "GET /api/Order/v1/Tracking";
    public static final String OVERALL = "*";
    private static final Pattern ORDER_CODE_CHARACTERS = Pattern.compile("[A-Za-z0-9_-]*");

    private final SimEngine engine;
    private final QuotaBook quotas;
    private final Referee referee;
    private final NoiseService noise;
    private final ObjectMapper mapper;
    private final Map<String, String> accountsByKey = new HashMap<>();
    private final Map<String, List<Quota>> limits = new HashMap<>();

    public Express247Service(
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
        SimConfig.Express247 express = config.express247();
        Quota overall = quotas.daily(
                CARRIER, OVERALL, "overall-per-day", express.dailyLimitOverall(), Express247Lifecycle.ZONE);
        express.accounts().forEach((name, account) -> {
            accountsByKey.put(account.apiKey(), name);
            limits.put(
                    name,
                    List.of(
                            quotas.daily(
                                    CARRIER,
                                    name,
                                    "per-day",
                                    account.dailyLimit().orElse(express.dailyLimitPerKey()),
                                    Express247Lifecycle.ZONE),
                            overall));
        });
    }

    /** @param params query parameters by name as sent, first value of each */
    public CarrierAnswer track(Map<String, String> params) {
        String apiKey = param(params, "apikey");
        if (apiKey == null) {
            return error(Referee.NO_ACCOUNT, "MISSING_APIKEY", "Missing Apikey.", null);
        }
        String account = accountsByKey.get(apiKey);
        if (account == null) {
            return error(Referee.NO_ACCOUNT, "APIKEY_NOT_FOUND", "Apikey is not found.", null);
        }
        String orderCode = param(params, "ordercode");
        QuotaBook.Admission admission = quotas.admit(limits.get(account));
        if (!admission.admitted()) {
            return error(
                    account,
                    "APIKEY_LIMIT",
                    "Look up more than "
                            + NumberFormat.getIntegerInstance(Locale.US)
                                    .format(admission.refusedBy().limit()) + " times/day.",
                    orderCode);
        }
        if (noise.fails()) {
            referee.served(CARRIER, account, ENDPOINT, "fault:EXCEPTION");
            return new CarrierAnswer(
                    200,
                    bytes(Express247Json.error("EXCEPTION", "Unknown error, please contact 247.", orderCode)),
                    "fault:EXCEPTION");
        }
        if (orderCode == null) {
            return error(account, "MISSING_ORDERCODE", "Missing Ordercode.", null);
        }
        if (orderCode.length() < 5) {
            return error(account, "ORDERCODE_MIN_LENGTH", "OrderCode less than 5 characters.", orderCode);
        }
        if (orderCode.length() > 20) {
            return error(
                    account, "ORDERCODE_MAX_LENGTH", "The maximum number of OrderCode is 20 characters.", orderCode);
        }
        if (!ORDER_CODE_CHARACTERS.matcher(orderCode).matches()) {
            return error(
                    account,
                    "ORDERCODE_FORMAT_EXCEPTION",
                    "The ordercode contain special characters (except _-).",
                    orderCode);
        }
        Object found = engine.read(repository -> {
            Shipment shipment = repository.find(Carrier.EXPRESS247, orderCode);
            if (shipment == null || shipment.revealed() == 0) {
                return "ORDERCODE_NOT_FOUND";
            }
            if (!shipment.account().equals(account)) {
                return "ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT";
            }
            Express247Json.Rendered rendered = Express247Json.tracking(shipment);
            Instant now = engine.clock().wallNow();
            for (int i : rendered.shown()) {
                shipment.record(i).served(now, "poll");
            }
            return bytes(rendered.body());
        });
        if ("ORDERCODE_NOT_FOUND".equals(found)) {
            return error(account, "ORDERCODE_NOT_FOUND", "OrderCode is not found.", orderCode);
        }
        if ("ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT".equals(found)) {
            return error(
                    account,
                    "ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT",
                    "Ordercode does not belong to your account.",
                    orderCode);
        }
        referee.served(CARRIER, account, ENDPOINT, "ok");
        return new CarrierAnswer(200, (byte[]) found, "ok");
    }

    private CarrierAnswer error(String account, String code, String message, String orderCode) {
        referee.served(CARRIER, account, ENDPOINT, code);
        return new CarrierAnswer(200, bytes(Express247Json.error(code, message, orderCode)), code);
    }

    /** The first non-blank value of a parameter whose name matches {@code name} in any case. */
    private static String param(Map<String, String> params, String name) {
        for (Map.Entry<String, String> entry : params.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)
                    && entry.getValue() != null
                    && !entry.getValue().isBlank()) {
                return entry.getValue().strip();
            }
        }
        return null;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
