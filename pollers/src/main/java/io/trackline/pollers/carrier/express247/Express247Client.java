package io.trackline.pollers.carrier.express247;

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
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * 247Express tracking (247express-tracking-api.txt): {@code GET /api/Order/v1/Tracking?ordercode=&apikey=}.
 *
 * <ul>
 * <li>The order code is checked before any quota is spent: 5–20 letters, digits, {@code _} or {@code -}
 * (the document's ORDERCODE_MIN_LENGTH, ORDERCODE_MAX_LENGTH, ORDERCODE_FORMAT_EXCEPTION), since 247Express counts
 * every look-up with a known key, a malformed one too.</li>
 * <li>The document gives error codes but no HTTP statuses: an {@code errorCode} is read from a 200 and from a 4xx
 * alike. MISSING_APIKEY and APIKEY_NOT_FOUND are {@link Outcome#UNAUTHORIZED}; APIKEY_LIMIT
 * {@link Outcome#QUOTA_EXHAUSTED} until the next midnight in Asia/Ho_Chi_Minh (the "times/day" of the document);
 * EXCEPTION is retried, then {@link Outcome#CARRIER_ERROR}; MISSING_ORDERCODE and the ORDERCODE_* format codes
 * {@link Outcome#INVALID_REQUEST}; ORDERCODE_NOT_FOUND {@link Outcome#NOT_FOUND};
 * ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT {@link Outcome#FOREIGN}; a code the document does not list is a
 * {@link Outcome#CARRIER_ERROR} named {@code unknown_error_code}, not retried, never tracked.</li>
 * <li>The key's parameter is spelled {@code apikey} in the document's example URL and {@code apiKey} in its parameter
 * list: the example goes first; a MISSING_APIKEY is asked once more with the other spelling (a request with no key
 * the carrier knows is no look-up it counts), and the spelling understood is kept.</li>
 * <li>The key is in the query string: no URI of this client is ever logged or put in a message; failures are named
 * by status or error code only.</li>
 * </ul>
 */
@ApplicationScoped
public class Express247Client implements CarrierClient {

    /** The document's order code rule. */
    public static final Pattern ORDER_CODE = Pattern.compile("[A-Za-z0-9_-]{5,20}");

    /** 247Express's day: its daily limits start again at midnight here. */
    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    static final String MISSING_APIKEY = "MISSING_APIKEY";

    /** Every error code of the document, and what it means here. */
    static final Map<String, Outcome> CODES = Map.ofEntries(
            Map.entry(MISSING_APIKEY, Outcome.UNAUTHORIZED),
            Map.entry("APIKEY_NOT_FOUND", Outcome.UNAUTHORIZED),
            Map.entry("APIKEY_LIMIT", Outcome.QUOTA_EXHAUSTED),
            Map.entry("EXCEPTION", Outcome.CARRIER_ERROR),
            Map.entry("MISSING_ORDERCODE", Outcome.INVALID_REQUEST),
            Map.entry("ORDERCODE_MIN_LENGTH", Outcome.INVALID_REQUEST),
            Map.entry("ORDERCODE_MAX_LENGTH", Outcome.INVALID_REQUEST),
            Map.entry("ORDERCODE_FORMAT_EXCEPTION", Outcome.INVALID_REQUEST),
            Map.entry("ORDERCODE_NOT_FOUND", Outcome.NOT_FOUND),
            Map.entry("ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT", Outcome.FOREIGN));

    private static final Pattern CODE_SHAPE = Pattern.compile("[A-Z0-9_]{1,64}");

    private final Express247RestClient rest;
    private final CarrierAccounts accounts;
    private final CarrierRequests requests;
    private final Clock clock;
    /** True once 247Express answered MISSING_APIKEY to {@code apikey} and understood {@code apiKey}. */
    private final AtomicReference<Boolean> listSpelling = new AtomicReference<>(false);

    public Express247Client(
            @RestClient Express247RestClient rest, CarrierAccounts accounts, CarrierRequests requests, Clock clock) {
        this.rest = rest;
        this.accounts = accounts;
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public Carrier carrier() {
        return Carrier.EXPRESS247;
    }

    /** Whether 247Express would accept {@code orderCode} as an order code (checked before any quota is spent). */
    public static boolean isValidOrderCode(String orderCode) {
        return orderCode != null && ORDER_CODE.matcher(orderCode).matches();
    }

    @Override
    public PollAnswer track(Subscription subscription) {
        String account = subscription.account();
        if (!isValidOrderCode(subscription.reference())) {
            return PollAnswer.refused(Outcome.INVALID_REQUEST, "ORDERCODE_FORMAT");
        }
        CarrierAccounts.ApiKeyAccount credentials =
                accounts.express247().accounts().get(account);
        if (credentials == null || credentials.apiKey().isBlank()) {
            return PollAnswer.refused(Outcome.UNAUTHORIZED, "no api-key configured for 247express account " + account);
        }
        String apiKey = credentials.apiKey().reveal();
        try {
            boolean first = listSpelling.get();
            PollAnswer answer = attempt(subscription, apiKey, first);
            if (answer.outcome() == Outcome.UNAUTHORIZED && MISSING_APIKEY.equals(answer.detail())) {
                PollAnswer again = attempt(subscription, apiKey, !first);
                if (!MISSING_APIKEY.equals(again.detail()) && listSpelling.compareAndSet(first, !first)) {
                    Log.infof(
                            "247Express understood the key only as %s: using that spelling from now on",
                            first ? "apikey" : "apiKey");
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
     * One look-up, retried on 5xx, I/O errors and EXCEPTION (exponential backoff with jitter; configurable as
     * {@code quarkus.fault-tolerance."io.trackline.pollers.carrier.express247.Express247Client/attempt".retry.*});
     * every attempt takes a quota token first, and a missing token ends the retries.
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
    PollAnswer attempt(Subscription subscription, String apiKey, boolean listSpelling) {
        return requests.attempt(
                Carrier.EXPRESS247,
                subscription.account(),
                () -> listSpelling
                        ? rest.trackListSpelling(subscription.reference(), apiKey)
                        : rest.track(subscription.reference(), apiKey),
                this::answer);
    }

    /** What a 247Express answer says; 5xx and EXCEPTION are a {@link RetryableCarrierFailure}. */
    PollAnswer answer(CarrierResponses response) {
        int status = response.status();
        if (response.isServerError()) {
            throw new RetryableCarrierFailure("http_" + status);
        }
        JsonNode body = response.json();
        String code = body == null || !body.isObject() ? null : text(body.get("errorCode"));
        if (code != null) {
            return errorCode(code.strip().toUpperCase(Locale.ROOT));
        }
        if (status == 200) {
            if (body != null && body.isObject()) {
                return PollAnswer.tracked(response.body(), response.contentType(), response.headers());
            }
            return PollAnswer.refused(Outcome.CARRIER_ERROR, "unreadable_answer");
        }
        return switch (status) {
            case 401, 403 -> PollAnswer.refused(Outcome.UNAUTHORIZED, "http_" + status);
            case 429 -> PollAnswer.rateLimited(ResponseHeaders.retryAfter(response.retryAfter(), clock), "http_429");
            case 404 -> PollAnswer.refused(Outcome.CARRIER_ERROR, "http_404");
            default ->
                PollAnswer.refused(
                        status >= 400 && status < 500 ? Outcome.INVALID_REQUEST : Outcome.CARRIER_ERROR,
                        "http_" + status);
        };
    }

    /** Back to the example URL's spelling (tests). */
    void resetSpelling() {
        listSpelling.set(false);
    }

    private PollAnswer errorCode(String code) {
        Outcome outcome = CODES.get(code);
        if (outcome == null) {
            // a code the document does not list: not a retry, not a stop; named safely (it goes into logs and metrics)
            Log.warnf(
                    "247Express answered an error code its document does not list: %s",
                    CODE_SHAPE.matcher(code).matches() ? code : "(not a code)");
            return PollAnswer.refused(Outcome.CARRIER_ERROR, "unknown_error_code");
        }
        return switch (outcome) {
            case CARRIER_ERROR -> throw new RetryableCarrierFailure(code); // EXCEPTION: "Unknown error"
            case QUOTA_EXHAUSTED ->
                new PollAnswer(Outcome.QUOTA_EXHAUSTED, null, null, Map.of(), Optional.of(untilMidnight()), code);
            default -> PollAnswer.refused(outcome, code);
        };
    }

    /** From now to the next midnight in Asia/Ho_Chi_Minh, when 247Express's daily count starts again. */
    Duration untilMidnight() {
        ZonedDateTime now = clock.instant().atZone(ZONE);
        ZonedDateTime midnight = LocalDate.from(now).plusDays(1).atStartOfDay(ZONE);
        return Duration.between(now, midnight);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String s = node.asText();
        return s.isBlank() ? null : s;
    }
}
