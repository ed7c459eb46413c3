package io.trackline.sim.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends the demo stream: a bounded number of demo orders, each taken through its life one signed callback at a
 * time. A callback that is not answered 200 is sent again at the next tick, as MrSpeedy would retry it.
 */
@ApplicationScoped
public class DemoTraffic {

    private final SimConfig.Demo config;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger sent = new AtomicInteger();
    private final long firstOrderId = 900_000_000L + (System.currentTimeMillis() / 1000) % 90_000_000L;
    private ScheduledExecutorService scheduler;
    private OffsetDateTime created;

    public DemoTraffic(SimConfig config) {
        this.config = config.demo();
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled() || config.orders() <= 0) {
            return;
        }
        created = DemoOrders.createdAt(OffsetDateTime.now());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "demo-traffic"));
        scheduler.scheduleWithFixedDelay(
                this::tick, config.interval().toMillis(), config.interval().toMillis(), TimeUnit.MILLISECONDS);
        Log.infof(
                "demo traffic: %d MrSpeedy orders to %s, one callback every %s",
                config.orders(), config.callbackUrl(), config.interval());
    }

    /** Callbacks are interleaved: order n starts one step after order n-1. */
    void tick() {
        int index = sent.get();
        int total = config.orders() * DemoOrders.steps();
        if (index >= total) {
            Log.info("demo traffic finished");
            scheduler.shutdown();
            return;
        }
        int order = index % config.orders();
        int step = index / config.orders();
        long orderId = firstOrderId + order;
        byte[] body = DemoOrders.callback(orderId, step, created.plusMinutes(order), OffsetDateTime.now());
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(config.callbackUrl())
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header("X-DV-Signature", sign(body, config.mrspeedySecret()))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                sent.incrementAndGet();
            } else {
                Log.debugf("demo callback for order %d answered %d; retrying", orderId, answer.statusCode());
            }
        } catch (Exception e) {
            Log.debugf("demo callback for order %d not delivered (%s); retrying", orderId, e.toString());
        }
    }

    public int sent() {
        return sent.get();
    }

    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    static String sign(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
