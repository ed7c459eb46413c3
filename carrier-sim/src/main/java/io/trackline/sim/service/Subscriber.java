package io.trackline.sim.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the merchant of a local run or a benchmark ({@code trackline.sim.subscriber.*}): every shipment of a polled
 * carrier (all24, 247Express) that the simulator creates is subscribed at a pollers instance with
 * {@code POST /api/v1/subscriptions}, in batches, as a shop subscribes each label it prints. MrSpeedy needs no
 * subscription (its orders arrive by callback and are reconciled from there).
 *
 * <p>A batch the pollers refuse as invalid (4xx) is logged and dropped: sending it again would not help. Anything
 * else (pollers not up yet, 5xx, no answer) keeps the batch for the next round, so a local run started in any order
 * subscribes everything once the pollers answer.
 */
@ApplicationScoped
public class Subscriber {

    static final int MAX_BATCH = 1_000;

    private final SimConfig.Subscriber config;
    private final SimEngine engine;
    private final ObjectMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<URI, Deque<Shipment>> pending = new LinkedHashMap<>();
    private final AtomicLong subscribed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private long cursor;
    private ScheduledExecutorService scheduler;

    public Subscriber(SimConfig config, SimEngine engine, ObjectMapper json) {
        this.config = config.subscriber();
        this.engine = engine;
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.url().isEmpty() && config.accounts().isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "subscriber"));
        long every = config.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
        Log.infof(
                "subscriber: all24 and 247Express shipments are subscribed at %s every %s",
                config.url().map(URI::toString).orElse("the accounts' URLs " + config.accounts()), config.interval());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Subscriptions the pollers accepted, and refused as invalid. */
    public long subscribed() {
        return subscribed.get();
    }

    public long refused() {
        return refused.get();
    }

    /** One round: collect the shipments created since the last round, then send each target's pending batch. */
    synchronized void round() {
        try {
            collect();
            for (Map.Entry<URI, Deque<Shipment>> target : pending.entrySet()) {
                send(target.getKey(), target.getValue());
            }
        } catch (RuntimeException e) {
            Log.warnf("subscriber round failed (%s); trying again next round", e.toString());
        }
    }

    private void collect() {
        List<Shipment> created =
                engine.read(repository -> repository.after(cursor, s -> s.carrier() != Carrier.MRSPEEDY, 10_000));
        for (Shipment shipment : created) {
            cursor = Math.max(cursor, shipment.serial());
            target(shipment.account())
                    .ifPresent(url -> pending.computeIfAbsent(url, u -> new ArrayDeque<>())
                            .add(shipment));
        }
    }

    private Optional<URI> target(String account) {
        URI own = config.accounts().get(account);
        return own != null ? Optional.of(own) : config.url();
    }

    private void send(URI url, Deque<Shipment> queue) {
        while (!queue.isEmpty()) {
            List<Shipment> batch = new ArrayList<>();
            queue.stream().limit(MAX_BATCH).forEach(batch::add);
            int status = post(url, batch);
            if (status >= 200 && status < 300) {
                subscribed.addAndGet(batch.size());
            } else if (status >= 400 && status < 500) {
                refused.addAndGet(batch.size());
                Log.warnf("%s refused %d subscriptions with %d; they are dropped", url, batch.size(), status);
            } else {
                return; // not up yet, or failing: the same batch next round
            }
            batch.forEach(s -> queue.pollFirst());
        }
    }

    private int post(URI url, List<Shipment> batch) {
        ArrayNode body = json.createArrayNode();
        for (Shipment shipment : batch) {
            body.addObject()
                    .put("carrier", shipment.carrier().id())
                    .put("account", shipment.account())
                    .put("reference", shipment.reference());
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json");
        config.apiKey().ifPresent(key -> request.header("X-API-Key", key));
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            return http.send(
                            request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            Log.debugf("%s not reached (%s); trying again next round", url, e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
