package io.trackline.sim.carrier.mrspeedy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.trackline.events.Carrier;
import io.trackline.sim.ChangeRecord;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import io.trackline.sim.config.SimConfig;
import io.trackline.sim.service.ChangeListener;
import io.trackline.sim.service.SimClock;
import io.trackline.sim.service.Ticking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MrSpeedy's order callbacks: every change of an order of an account with a callback URL is POSTed there, signed
 * ({@code X-DV-Signature}: HMAC-SHA256 of the exact body bytes under the account's callback secret, hex). Any answer
 * but 200 (or none) is retried with growing intervals (first retry, doubling up to the maximum interval) for 24 hours,
 * then given up, all in simulated time; the body of a retry is the same bytes. Noise sends some callbacks twice, and
 * some are held back until a minute after the next change.
 */
@ApplicationScoped
public class MrSpeedyCallbacks implements ChangeListener, Ticking {

    public static final String SIGNATURE = "X-DV-Signature";
    private static final Duration DUPLICATE_AFTER = Duration.ofSeconds(5);
    private static final Duration LATE_BY = Duration.ofSeconds(60);

    /** Where an account's callbacks go. */
    private record Target(URI url, String secret) {}

    public enum State {
        PENDING,
        IN_FLIGHT,
        DELIVERED,
        GIVEN_UP
    }

    /** One callback and its attempts. Guarded by the dispatcher's lock. */
    public static final class Callback {
        private final long id;
        private final String account;
        private final long orderId;
        private final ChangeRecord change;
        private final int copy;
        private byte[] body;
        private final String signature;
        private final URI url;
        private final Instant firstDueAt;
        private final Instant giveUpAfter;
        private Instant nextAt;
        private int attempts;
        private State state = State.PENDING;
        private String lastAnswer;
        private Instant firstAttemptWall;
        private Instant lastAttemptWall;
        private Instant deliveredWall;

        Callback(
                long id,
                String account,
                long orderId,
                ChangeRecord change,
                int copy,
                byte[] body,
                String signature,
                URI url,
                Instant dueAt,
                Duration giveUpAfter) {
            this.id = id;
            this.account = account;
            this.orderId = orderId;
            this.change = change;
            this.copy = copy;
            this.body = body;
            this.signature = signature;
            this.url = url;
            this.firstDueAt = dueAt;
            this.giveUpAfter = dueAt.plus(giveUpAfter);
            this.nextAt = dueAt;
        }
    }

    /** What the referee shows of a callback. */
    public record CallbackView(
            long id,
            String account,
            long orderId,
            long changeSeq,
            String field,
            String code,
            int copy,
            String state,
            int attempts,
            String lastAnswer,
            Instant firstDueAt,
            Instant nextAttemptAt,
            Instant firstAttemptAt,
            Instant lastAttemptAt,
            Instant deliveredAt) {}

    private final SimConfig.MrSpeedy.Callbacks settings;
    private final Map<String, Target> targets = new HashMap<>();
    private final SimClock clock;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final int keep;
    private final HttpClient http;
    private final PriorityQueue<Callback> due =
            new PriorityQueue<>(Comparator.comparing((Callback c) -> c.nextAt).thenComparingLong(c -> c.id));
    private final Deque<Callback> log = new ArrayDeque<>();
    private long nextId = 1;
    private long dropped;
    private int inFlight;

    public MrSpeedyCallbacks(SimConfig config, SimClock clock, ObjectMapper mapper, MeterRegistry registry) {
        this.settings = config.mrspeedy().callbacks();
        this.clock = clock;
        this.mapper = mapper;
        this.registry = registry;
        this.keep = Math.max(1, config.engine().maxCallbacks());
        config.mrspeedy()
                .accounts()
                .forEach((name, account) -> account.callbackUrl()
                        .ifPresent(url -> targets.put(
                                name, new Target(url, account.callbackSecret().orElse(null)))));
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    @Override
    public synchronized void revealed(Shipment shipment, int step, ChangeRecord record) {
        Target target = targets.get(shipment.account());
        if (shipment.carrier() != Carrier.MRSPEEDY || target == null) {
            return;
        }
        byte[] body = body(shipment, step);
        String signature = target.secret() == null ? null : sign(body, target.secret());
        Step change = shipment.steps().get(step);
        MrSpeedyStep detail = (MrSpeedyStep) change.detail();
        Instant at = change.at();
        if (detail.late() && step + 1 < shipment.steps().size()) {
            at = shipment.steps().get(step + 1).at().plus(LATE_BY);
        }
        long orderId = shipment.number();
        for (int copy = 1; copy <= detail.copies(); copy++) {
            Callback callback = new Callback(
                    nextId++,
                    shipment.account(),
                    orderId,
                    record,
                    copy,
                    body,
                    signature,
                    target.url(),
                    copy == 1 ? at : at.plus(DUPLICATE_AFTER),
                    settings.giveUpAfter());
            due.add(callback);
            log.addLast(callback);
            if (log.size() > keep) {
                log.removeFirst();
                dropped++;
            }
        }
    }

    private byte[] body(Shipment shipment, int step) {
        try {
            return mapper.writeValueAsBytes(MrSpeedyJson.callback(shipment, step));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the callbacks that are due, as many as may be in flight at once. */
    @Override
    public void tick(Instant now) {
        List<Callback> send = new ArrayList<>();
        synchronized (this) {
            while (!due.isEmpty() && !due.peek().nextAt.isAfter(now) && inFlight < settings.maxInFlight()) {
                Callback callback = due.poll();
                callback.state = State.IN_FLIGHT;
                callback.attempts++;
                Instant wall = clock.wallNow();
                if (callback.firstAttemptWall == null) {
                    callback.firstAttemptWall = wall;
                }
                callback.lastAttemptWall = wall;
                inFlight++;
                send.add(callback);
            }
        }
        for (Callback callback : send) {
            HttpRequest.Builder request = HttpRequest.newBuilder(callback.url)
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(callback.body));
            if (callback.signature != null) {
                request.header(SIGNATURE, callback.signature);
            }
            http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> answered(
                            callback,
                            failure == null
                                    ? Integer.toString(response.statusCode())
                                    : "error:" + failure.getClass().getSimpleName()));
        }
    }

    private synchronized void answered(Callback callback, String answer) {
        inFlight--;
        callback.lastAnswer = answer;
        registry.counter(
                        "trackline.sim.callbacks.attempted",
                        "account",
                        callback.account,
                        "outcome",
                        answer.startsWith("error:") ? "error" : answer)
                .increment();
        if (answer.equals("200")) {
            callback.state = State.DELIVERED;
            callback.deliveredWall = clock.wallNow();
            callback.change.served(callback.deliveredWall, "callback");
            callback.body = null; // kept for retries only: the referee keeps many callbacks, not their bodies
            registry.counter("trackline.sim.callbacks.delivered", "account", callback.account)
                    .increment();
            return;
        }
        Instant next = callback.nextAt.plus(interval(callback.attempts));
        if (next.isAfter(callback.giveUpAfter)) {
            callback.state = State.GIVEN_UP;
            callback.body = null;
            registry.counter("trackline.sim.callbacks.abandoned", "account", callback.account)
                    .increment();
            Log.infof(
                    "MrSpeedy callback %d for order %d given up after %d attempts (last answer %s)",
                    callback.id, callback.orderId, callback.attempts, answer);
            return;
        }
        callback.state = State.PENDING;
        callback.nextAt = next;
        due.add(callback);
    }

    /** The wait before retry number {@code failures}: the first retry's interval, doubled each time, capped. */
    Duration interval(int failures) {
        Duration wait = settings.firstRetry();
        for (int i = 1; i < failures && wait.compareTo(settings.maxInterval()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxInterval()) > 0 ? settings.maxInterval() : wait;
    }

    /** Callbacks with an id greater than {@code since}, oldest first. */
    public synchronized List<CallbackView> after(long since, String account, int limit) {
        List<CallbackView> out = new ArrayList<>();
        for (Callback c : log) {
            if (out.size() >= limit) {
                break;
            }
            if (c.id > since && (account == null || account.equals(c.account))) {
                Step change = c.change.change();
                out.add(new CallbackView(
                        c.id,
                        c.account,
                        c.orderId,
                        c.change.seq(),
                        change.field(),
                        change.code(),
                        c.copy,
                        c.state.name().toLowerCase(),
                        c.attempts,
                        c.lastAnswer,
                        c.firstDueAt,
                        c.state == State.PENDING ? c.nextAt : null,
                        c.firstAttemptWall,
                        c.lastAttemptWall,
                        c.deliveredWall));
            }
        }
        return out;
    }

    /** Counts by state, over the callbacks kept, plus how many older ones were dropped. */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (State state : State.values()) {
            counts.put(state.name().toLowerCase(), 0L);
        }
        for (Callback c : log) {
            counts.merge(c.state.name().toLowerCase(), 1L, Long::sum);
        }
        counts.put("dropped", dropped);
        return counts;
    }

    /** HMAC-SHA256 of the body bytes under the secret, lower-case hex: what MrSpeedy sends as X-DV-Signature. */
    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
