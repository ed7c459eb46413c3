package io.trackline.pollers.carrier.all24;

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
import io.trackline.pollers.config.Secret;
import io.trackline.pollers.service.CarrierClient;
import io.trackline.pollers.service.PollAnswer;
import io.trackline.pollers.service.PollAnswer.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * all24 tracking (all24-api.md, "Order Tracking"): {@code GET /v1/tracking/orders} with HTTP Basic auth, the account's
 * API key as user name and an empty password. A subscription with a customer id uses the third-party form
 * ({@code tracking_number} and {@code customer_id}); any other the all24 number.
 *
 * <p>The document spells the number's parameter two ways: {@code all24_tracking_number} in both examples and the
 * "HTTP Request" line, {@code all_24_tracking_number} in the parameter table. The examples' spelling goes first. Error
 * 1000 is "Missing Parameters", which is exactly what a server that reads the other spelling answers, so a 1000 is
 * asked once more with the other spelling (a second token), and the spelling that was understood is kept for the
 * requests that follow. The document also shows {@code curl -d}, a form POST; its "HTTP Request" line is a GET with
 * the query, and that is what is sent.
 *
 * <p>Answers: {@code response_code}/{@code error_codes} 1000 is {@link Outcome#INVALID_REQUEST}, 1350
 * {@link Outcome#NOT_FOUND} (whether as HTTP 400 or as a 200 whose body says 400); 401 {@link Outcome#UNAUTHORIZED};
 * 429 {@link Outcome#RATE_LIMITED} with {@code Retry-After}; 5xx and I/O errors are retried with exponential backoff
 * and jitter, each attempt taking a quota token first, then {@link Outcome#CARRIER_ERROR}.
 */
@ApplicationScoped
public class All24Client implements CarrierClient {

    private static final String FIRST_CODE_MISSING_PARAMETERS = "1000";
    private static final String ORDER_NOT_FOUND = "1350";

    /** How the all24 number is asked for. */
    enum Form {
        /** {@code all24_tracking_number}: the document's examples. */
        EXAMPLE_SPELLING,
        /** {@code all_24_tracking_number}: the document's parameter table. */
        TABLE_SPELLING,
        /** {@code tracking_number} + {@code customer_id}. */
        THIRD_PARTY;

        Form other() {
            return this == EXAMPLE_SPELLING ? TABLE_SPELLING : EXAMPLE_SPELLING;
        }
    }

    private final All24RestClient rest;
    private final CarrierAccounts accounts;
    private final CarrierRequests requests;
    private final Clock clock;
    private final AtomicReference<Form> spelling = new AtomicReference<>(Form.EXAMPLE_SPELLING);

    public All24Client(
            @RestClient All24RestClient rest, CarrierAccounts accounts, CarrierRequests requests, Clock clock) {
        this.rest = rest;
        this.accounts = accounts;
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public Carrier carrier() {
        return Carrier.ALL24;
    }

    @Override
    public PollAnswer track(Subscription subscription) {
        String account = subscription.account();
        CarrierAccounts.ApiKeyAccount credentials = accounts.all24().accounts().get(account);
        if (credentials == null || credentials.apiKey().isBlank()) {
            return PollAnswer.refused(Outcome.UNAUTHORIZED, "no api-key configured for all24 account " + account);
        }
        String authorization = basic(credentials.apiKey());
        try {
            if (subscription.customerId() != null) {
                return attempt(subscription, authorization, Form.THIRD_PARTY);
            }
            Form first = spelling.get();
            PollAnswer answer = attempt(subscription, authorization, first);
            if (isMissingParameters(answer)) {
                PollAnswer again = attempt(subscription, authorization, first.other());
                if (!isMissingParameters(again)) {
                    if (spelling.compareAndSet(first, first.other())) {
                        Log.infof(
                                "all24 understood the tracking number only as %s: using that spelling from now on",
                                first.other() == Form.TABLE_SPELLING
                                        ? "all_24_tracking_number"
                                        : "all24_tracking_number");
                    }
                }
                return again;
            }
            return answer;
        } catch (NoTokenException e) {
            return PollAnswer.refused(Outcome.NO_TOKEN, "no quota token");
        } catch (RetryableCarrierFailure e) {
            return PollAnswer.refused(Outcome.CARRIER_ERROR, e.detail());
        }
    }

    /**
     * One request, retried on 5xx and I/O errors (exponential backoff with jitter; configurable as
     * {@code quarkus.fault-tolerance."io.trackline.pollers.carrier.all24.All24Client/attempt".retry.*}); every attempt
     * takes a quota token first, and a missing token ends the retries.
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
    PollAnswer attempt(Subscription subscription, String authorization, Form form) {
        return requests.attempt(
                Carrier.ALL24,
                subscription.account(),
                () -> switch (form) {
                    case EXAMPLE_SPELLING -> rest.byTrackingNumber(authorization, subscription.reference());
                    case TABLE_SPELLING -> rest.byTrackingNumberTableSpelling(authorization, subscription.reference());
                    case THIRD_PARTY ->
                        rest.byThirdPartyNumber(authorization, subscription.reference(), subscription.customerId());
                },
                this::answer);
    }

    /** What an all24 answer says; a 5xx (in the status or the body) is a {@link RetryableCarrierFailure}. */
    PollAnswer answer(CarrierResponses response) {
        int status = response.status();
        JsonNode body = response.json();
        int responseCode = body == null ? status : responseCode(body, status);
        if (response.isServerError() || (responseCode >= 500 && responseCode <= 599)) {
            throw new RetryableCarrierFailure("http_" + (response.isServerError() ? status : responseCode));
        }
        if (status == 401 || responseCode == 401) {
            return PollAnswer.refused(Outcome.UNAUTHORIZED, "401");
        }
        if (status == 429 || responseCode == 429) {
            return PollAnswer.rateLimited(ResponseHeaders.retryAfter(response.retryAfter(), clock), "429");
        }
        if (status == 200
                && responseCode == 200
                && body != null
                && body.isObject()
                && errorCodes(body).isEmpty()) {
            return PollAnswer.tracked(response.body(), response.contentType(), response.headers());
        }
        if (status == 200 && body == null) {
            return PollAnswer.refused(Outcome.CARRIER_ERROR, "unreadable_answer");
        }
        List<String> codes = body == null ? List.of() : errorCodes(body);
        if (codes.contains(ORDER_NOT_FOUND)) {
            return PollAnswer.refused(Outcome.NOT_FOUND, ORDER_NOT_FOUND);
        }
        if (codes.contains(FIRST_CODE_MISSING_PARAMETERS)) {
            return PollAnswer.refused(Outcome.INVALID_REQUEST, FIRST_CODE_MISSING_PARAMETERS);
        }
        String detail = codes.isEmpty() ? "http_" + status : "error_" + String.join("_", codes);
        return switch (status) {
            case 404 -> PollAnswer.refused(Outcome.NOT_FOUND, detail);
            case 402, 409 -> PollAnswer.refused(Outcome.CARRIER_ERROR, detail);
            default ->
                PollAnswer.refused(
                        status >= 400 || responseCode == 400 ? Outcome.INVALID_REQUEST : Outcome.CARRIER_ERROR, detail);
        };
    }

    /** Back to the examples' spelling (tests). */
    void resetSpelling() {
        spelling.set(Form.EXAMPLE_SPELLING);
    }

    private static boolean isMissingParameters(PollAnswer answer) {
        return answer.outcome() == Outcome.INVALID_REQUEST && FIRST_CODE_MISSING_PARAMETERS.equals(answer.detail());
    }

    /** {@code response_code}, a number or a string in the document's table; the HTTP status when absent. */
    private static int responseCode(JsonNode body, int status) {
        JsonNode code = body.get("response_code");
        if (code == null || code.isNull()) {
            return status;
        }
        if (code.isNumber()) {
            return code.asInt();
        }
        try {
            return Integer.parseInt(code.asText().strip());
        } catch (NumberFormatException e) {
            return status;
        }
    }

    /** {@code error_codes} as text (numbers or strings), only short digit codes (they go into metrics and logs). */
    private static List<String> errorCodes(JsonNode body) {
        JsonNode codes = body.get("error_codes");
        if (codes == null || !codes.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : codes) {
            String text = c.asText().strip();
            if (!text.isEmpty() && text.length() <= 8 && text.chars().allMatch(Character::isDigit)) {
                out.add(text);
            } else if (!text.isEmpty()) {
                out.add("other");
            }
        }
        return out;
    }

    static String basic(Secret apiKey) {
        // the key as user name, an empty password: curl -u api_key:
        return "Basic " + Base64.getEncoder().encodeToString((apiKey.reveal() + ":").getBytes(StandardCharsets.UTF_8));
    }
}
