package io.trackline.pollers.carrier.mrspeedy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.pollers.carrier.CarrierRequests;
import io.trackline.pollers.carrier.CarrierResponses;
import io.trackline.pollers.carrier.NoTokenException;
import io.trackline.pollers.carrier.ResponseHeaders;
import io.trackline.pollers.carrier.RetryableCarrierFailure;
import io.trackline.pollers.config.CarrierAccounts;
import io.trackline.pollers.service.CarrierClient;
import io.trackline.pollers.service.PollAnswer;
import io.trackline.pollers.service.PollAnswer.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * MrSpeedy Business API reads (mrspeedy-business-api.txt): the order list by status, the courier of an order, and
 * {@link #track} of one order for a subscription. Every answer has {@code is_successful}; every error is HTTP 400
 * with {@code errors[]} (and {@code parameter_errors} for {@code invalid_parameters}):
 *
 * <ul>
 * <li>{@code requests_limit_exceeded}: {@link Outcome#RATE_LIMITED} for a minute (the document gives 100 a minute and
 * 5,000 in 24 hours and sends no {@code Retry-After});</li>
 * <li>{@code required_auth_token}, {@code invalid_auth_token}, {@code unapproved_contract}:
 * {@link Outcome#UNAUTHORIZED};</li>
 * <li>{@code service_unavailable}, {@code unexpected_error}, 5xx and I/O errors: retried with exponential backoff and
 * jitter, each attempt taking a quota token first, then {@link Outcome#CARRIER_ERROR};</li>
 * <li>{@code invalid_parameters} with {@code invalid_order}: {@link Outcome#NOT_FOUND}; other parameter errors and the
 * request errors of a wrong client ({@code invalid_api_method}, {@code required_method_get}, ...):
 * {@link Outcome#INVALID_REQUEST}, the detail naming the parameters ({@code invalid_parameters:offset=unknown});</li>
 * <li>anything else: {@link Outcome#CARRIER_ERROR}, not retried.</li>
 * </ul>
 */
@ApplicationScoped
public class MrSpeedyClient implements CarrierClient {

    /** MrSpeedy's per-minute limit: the cool-down after {@code requests_limit_exceeded}. */
    public static final Duration LIMIT_COOL_DOWN = Duration.ofMinutes(1);

    static final Set<String> UNAUTHORIZED = Set.of("required_auth_token", "invalid_auth_token", "unapproved_contract");
    static final Set<String> RETRYABLE = Set.of("service_unavailable", "unexpected_error");
    static final Set<String> CLIENT_ERRORS = Set.of(
            "invalid_api_version",
            "required_api_upgrade",
            "invalid_api_method",
            "required_method_get",
            "required_method_post",
            "invalid_post_json");

    private static final Pattern CODE_SHAPE = Pattern.compile("[a-z0-9_]{1,64}");

    private final MrSpeedyRestClient rest;
    private final CarrierAccounts accounts;
    private final CarrierRequests requests;
    private final Clock clock;

    public MrSpeedyClient(
            @RestClient MrSpeedyRestClient rest, CarrierAccounts accounts, CarrierRequests requests, Clock clock) {
        this.rest = rest;
        this.accounts = accounts;
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public Carrier carrier() {
        return Carrier.MRSPEEDY;
    }

    /**
     * One order of a subscription: {@code GET /orders?order_id=}. The document lists no parameter of the order list
     * (MrSpeedy's API family has {@code order_id}); a carrier that refuses it answers
     * {@link Outcome#INVALID_REQUEST}, and the order is still reconciled from the lists ({@link MrSpeedyReconciler}).
     * The payload is the list answer as received; the normalizer reads the order of the record's reference from it.
     */
    @Override
    public PollAnswer track(Subscription subscription) {
        return call(subscription.account(), token -> rest.orders(token, null, subscription.reference(), null, null));
    }

    /** {@code GET /orders?status=}, with {@code offset}/{@code count} only when given (not in the document). */
    public PollAnswer listOrders(String account, String status, Integer offset, Integer count) {
        return call(account, token -> rest.orders(token, status, null, offset, count));
    }

    /** {@code GET /courier?order_id=}: the courier of an order, with its location while the order is active. */
    public PollAnswer courier(String account, String orderId) {
        return call(account, token -> rest.courier(token, orderId));
    }

    /** Whether the account has a token configured. */
    public boolean hasAccount(String account) {
        CarrierAccounts.TokenAccount credentials =
                accounts.mrspeedy().accounts().get(account);
        return credentials != null && !credentials.authToken().isBlank();
    }

    private PollAnswer call(String account, Function<String, jakarta.ws.rs.core.Response> request) {
        if (!hasAccount(account)) {
            return PollAnswer.refused(Outcome.UNAUTHORIZED, "no auth-token configured for mrspeedy account " + account);
        }
        String token = accounts.mrspeedy().accounts().get(account).authToken().reveal();
        try {
            return attempt(account, token, request);
        } catch (NoTokenException e) {
            return PollAnswer.refused(Outcome.NO_TOKEN, "no quota token");
        } catch (RetryableCarrierFailure e) {
            return PollAnswer.refused(Outcome.CARRIER_ERROR, e.detail());
        }
    }

    /**
     * One request, retried on 5xx, I/O errors, {@code service_unavailable} and {@code unexpected_error} (exponential
     * backoff with jitter; configurable as
     * {@code quarkus.fault-tolerance."io.trackline.pollers.carrier.mrspeedy.MrSpeedyClient/attempt".retry.*}); every
     * attempt takes a quota token first, and a missing token ends the retries.
     */
    @Retry(
            maxRetries = 3,
            delay = 500,
            delayUnit = ChronoUnit.MILLIS,
            jitter = 250,
            jitterDelayUnit = ChronoUnit.MILLIS,
            maxDuration = 60,
            durationUnit = ChronoUnit.SECONDS,
            retryOn = RetryableCarrierFailure.class,
            abortOn = NoTokenException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    PollAnswer attempt(String account, String token, Function<String, jakarta.ws.rs.core.Response> request) {
        return requests.attempt(Carrier.MRSPEEDY, account, () -> request.apply(token), this::answer);
    }

    /** What a MrSpeedy answer says; 5xx, {@code service_unavailable} and {@code unexpected_error} are retryable. */
    PollAnswer answer(CarrierResponses response) {
        int status = response.status();
        if (response.isServerError()) {
            throw new RetryableCarrierFailure("http_" + status);
        }
        JsonNode body = response.json();
        boolean object = body != null && body.isObject();
        JsonNode successful = object ? body.get("is_successful") : null;
        if (status == 200 && object && (successful == null || successful.asBoolean(false))) {
            return PollAnswer.tracked(response.body(), response.contentType(), response.headers());
        }
        List<String> errors = object ? errors(body) : List.of();
        if (errors.isEmpty()) {
            return switch (status) {
                case 401, 403 -> PollAnswer.refused(Outcome.UNAUTHORIZED, "http_" + status);
                case 429 ->
                    PollAnswer.rateLimited(
                            Optional.of(ResponseHeaders.retryAfter(response.retryAfter(), clock)
                                    .orElse(LIMIT_COOL_DOWN)),
                            "http_429");
                default ->
                    PollAnswer.refused(Outcome.CARRIER_ERROR, status == 200 ? "unreadable_answer" : "http_" + status);
            };
        }
        if (errors.contains("requests_limit_exceeded")) {
            return PollAnswer.rateLimited(Optional.of(LIMIT_COOL_DOWN), "requests_limit_exceeded");
        }
        for (String e : errors) {
            if (UNAUTHORIZED.contains(e)) {
                return PollAnswer.refused(Outcome.UNAUTHORIZED, e);
            }
        }
        for (String e : errors) {
            if (RETRYABLE.contains(e)) {
                throw new RetryableCarrierFailure(e);
            }
        }
        if (errors.contains("invalid_parameters")) {
            Map<String, List<String>> parameters = parameterErrors(body.get("parameter_errors"));
            boolean unknownOrder = parameters.values().stream().anyMatch(codes -> codes.contains("invalid_order"));
            return PollAnswer.refused(
                    unknownOrder ? Outcome.NOT_FOUND : Outcome.INVALID_REQUEST, parameterDetail(parameters));
        }
        for (String e : errors) {
            if (CLIENT_ERRORS.contains(e)) {
                return PollAnswer.refused(Outcome.INVALID_REQUEST, e);
            }
        }
        String first = errors.get(0);
        if (!CODE_SHAPE.matcher(first).matches()) {
            first = "unknown_error_code";
        }
        Log.debugf("MrSpeedy answered error %s", first);
        return PollAnswer.refused(Outcome.CARRIER_ERROR, first);
    }

    private static List<String> errors(JsonNode body) {
        JsonNode errors = body.get("errors");
        List<String> out = new ArrayList<>();
        if (errors != null && errors.isArray()) {
            for (JsonNode e : errors) {
                if (e.isTextual()) {
                    out.add(e.asText().strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** The top-level parameters named in {@code parameter_errors}, with the codes found anywhere under each. */
    static Map<String, List<String>> parameterErrors(JsonNode parameterErrors) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (parameterErrors == null || !parameterErrors.isObject()) {
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = parameterErrors.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            List<String> codes = new ArrayList<>();
            collect(f.getValue(), codes);
            out.put(f.getKey(), codes);
        }
        return out;
    }

    private static void collect(JsonNode node, List<String> codes) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            codes.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, codes));
        }
    }

    /** {@code invalid_parameters:offset=unknown,count=unknown}: names and codes only, each of a safe shape. */
    static String parameterDetail(Map<String, List<String>> parameters) {
        StringBuilder out = new StringBuilder("invalid_parameters");
        char sep = ':';
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            String name = CODE_SHAPE.matcher(p.getKey()).matches() ? p.getKey() : "parameter";
            String code = p.getValue().isEmpty()
                            || !CODE_SHAPE.matcher(p.getValue().get(0)).matches()
                    ? "invalid"
                    : p.getValue().get(0);
            out.append(sep).append(name).append('=').append(code);
            sep = ',';
        }
        return out.toString();
    }
}
