package io.trackline.sim.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.trackline.events.Carrier;
import io.trackline.sim.config.SimConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The merchant of a local run: every polled carrier's new shipment is subscribed once, whatever the pollers said. */
class SubscriberTest {

    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> batches = new CopyOnWriteArrayList<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(201);
    private HttpServer pollers;

    @BeforeEach
    void startPollers() throws IOException {
        pollers = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        pollers.createContext("/api/v1/subscriptions", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                apiKeys.add(exchange.getRequestHeaders().getFirst("X-API-Key"));
                int status = answer.get();
                if (status < 500) {
                    batches.add(json.readTree(body));
                }
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        pollers.start();
    }

    @AfterEach
    void stopPollers() {
        pollers.stop(0);
    }

    private Subscriber subscriber(SimEngine engine) {
        String url = "http://127.0.0.1:" + pollers.getAddress().getPort() + "/api/v1/subscriptions";
        SimConfig config = Engines.config(Map.of(
                "trackline.sim.subscriber.url", url, "trackline.sim.subscriber.api-key", "test-api-key-not-real"));
        return new Subscriber(config, engine, json);
    }

    private SimEngine engine() {
        SimConfig config = Engines.config(Map.of());
        return Engines.engine(config, new ManualClock(Engines.START));
    }

    @Test
    void everyPolledShipmentIsSubscribedOnceAndMrSpeedyNever() {
        SimEngine engine = engine();
        Subscriber subscriber = subscriber(engine);
        engine.advanceTo(Engines.START.plus(Duration.ofHours(30)));
        subscriber.round();
        engine.advanceTo(Engines.START.plus(Duration.ofHours(60)));
        subscriber.round();
        subscriber.round();

        Set<String> expected = engine.all().stream()
                .filter(s -> s.carrier() != Carrier.MRSPEEDY)
                .map(s -> s.carrier().id() + ":" + s.account() + ":" + s.reference())
                .collect(Collectors.toSet());
        List<String> sent = batches.stream()
                .flatMap(batch -> StreamSupport.stream(batch.spliterator(), false))
                .map(item ->
                        item.get("carrier").asText() + ":" + item.get("account").asText() + ":"
                                + item.get("reference").asText())
                .toList();
        assertThat(expected).isNotEmpty();
        assertThat(sent).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(batches).allSatisfy(batch -> assertThat(batch.size()).isBetween(1, Subscriber.MAX_BATCH));
        assertThat(apiKeys).containsOnly("test-api-key-not-real");
        assertThat(subscriber.subscribed()).isEqualTo(expected.size());
    }

    @Test
    void aFailingPollersGetsTheSameShipmentsLaterAndARefusalIsNotRepeated() {
        SimEngine engine = engine();
        Subscriber subscriber = subscriber(engine);
        engine.advanceTo(Engines.START.plus(Duration.ofHours(8)));
        answer.set(503);
        subscriber.round();
        subscriber.round();
        assertThat(batches).isEmpty();

        answer.set(201);
        subscriber.round();
        int delivered = batches.stream().mapToInt(JsonNode::size).sum();
        assertThat(delivered).isPositive().isEqualTo((int) subscriber.subscribed());

        int acceptedBatches = batches.size();
        engine.advanceTo(Engines.START.plus(Duration.ofHours(16)));
        answer.set(400);
        subscriber.round();
        subscriber.round();
        assertThat(batches.size()).isEqualTo(acceptedBatches + 1);
        assertThat(subscriber.refused()).isEqualTo(batches.get(acceptedBatches).size());
    }
}
