package io.trackline.sim.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trackline.sim.carrier.mrspeedy.MrSpeedyCallbacks;
import io.trackline.sim.service.DemoOrders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which callback the load sends at each position: the demo orders' lives ({@link DemoOrders}: new, available, active,
 * pickup visited, drop-off visited, completed), signed as MrSpeedy signs them ({@link MrSpeedyCallbacks#sign}).
 * Orders go in waves of {@code window}: every order of a wave gets its first callback, then every one its second, and
 * so on, so at {@code window} callbacks/s an order's steps come a second apart and every batch downstream mixes many
 * shipments. Each callback adds exactly one fact to its order's timeline ({@link Callback#fact}), read from the bytes
 * sent, as the normalizer reads them.
 */
public final class CallbackPlan {

    /** One callback: its position, order, step, exact body, signature, and the one fact it adds. */
    public record Callback(long index, long orderId, int step, byte[] body, String signature, Fact fact) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long firstOrderId;
    private final int window;
    private final String secret;
    private final OffsetDateTime created;
    private final Fact[] stepFacts;

    public CallbackPlan(long firstOrderId, int window, String secret, OffsetDateTime created) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        this.firstOrderId = firstOrderId;
        this.window = window;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.created = created;
        this.stepFacts = new Fact[steps()];
        for (int step = 0; step < stepFacts.length; step++) {
            stepFacts[step] = stepFact(firstOrderId, step);
        }
    }

    /** The creation time of every order of the plan (the demo orders' times are counted from it). */
    public OffsetDateTime created() {
        return created;
    }

    public static int steps() {
        return DemoOrders.steps();
    }

    /** The order and step of callback {@code index}. */
    public long orderOf(long index) {
        long wave = index / ((long) steps() * window);
        return firstOrderId + wave * window + index % window;
    }

    public int stepOf(long index) {
        return (int) (index % ((long) steps() * window) / window);
    }

    public Callback callback(long index) {
        long order = orderOf(index);
        int step = stepOf(index);
        byte[] body = body(order, step);
        return new Callback(index, order, step, body, MrSpeedyCallbacks.sign(body, secret), stepFacts[step]);
    }

    /**
     * The one fact step {@code step} adds: what its body carries that the body before it did not, the status only
     * when it changed (the normalizer publishes a state only when it changes, docs/normalizer.md). The same for
     * every order of the plan (their times count from one creation time), so it is read once per step.
     */
    private Fact stepFact(long order, int step) {
        Set<Fact> now = facts(body(order, step));
        if (step > 0) {
            Set<Fact> before = facts(body(order, step - 1));
            now.removeAll(before);
            String statusBefore = status(before);
            now.removeIf(f -> f.field().equals(Fact.STATUS) && f.code().equals(statusBefore));
        }
        if (now.size() != 1) {
            throw new IllegalStateException("step " + step + " of a demo order adds " + now.size() + " facts");
        }
        return now.iterator().next();
    }

    private byte[] body(long order, int step) {
        return DemoOrders.callback(order, step, created, created);
    }

    /** The facts a callback body carries: the order status at event_datetime, and each visited point. */
    static Set<Fact> facts(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<Fact> facts = new LinkedHashSet<>();
        JsonNode order = root.path("order");
        facts.add(new Fact(
                Fact.STATUS,
                order.path("status").asText(),
                OffsetDateTime.parse(root.path("event_datetime").asText()).toInstant()));
        JsonNode points = order.path("points");
        for (int i = 0; i < points.size(); i++) {
            JsonNode visited = points.get(i).path("courier_visit_datetime");
            if (visited.isTextual()) {
                String kind = i == 0 ? "pickup" : i == points.size() - 1 ? "dropoff" : "stop";
                facts.add(new Fact(
                        Fact.VISIT, kind, OffsetDateTime.parse(visited.asText()).toInstant()));
            }
        }
        return facts;
    }

    private static String status(Set<Fact> facts) {
        return facts.stream()
                .filter(f -> f.field().equals(Fact.STATUS))
                .map(Fact::code)
                .findFirst()
                .orElse(null);
    }
}
