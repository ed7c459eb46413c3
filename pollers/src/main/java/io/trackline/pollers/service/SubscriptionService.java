package io.trackline.pollers.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.events.Carrier;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Subscription;
import io.trackline.http.api.InvalidRequestException;
import io.trackline.http.api.QueryParameters;
import io.trackline.pollers.config.SubscriptionsConfig;
import io.trackline.pollers.repository.SubscriptionRepository;
import io.trackline.pollers.repository.SubscriptionRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Subscriptions: made, read and ended through the API, kept on the compacted topic ({@link SubscriptionLog}) and
 * mirrored in PostgreSQL for reading. A write is acknowledged by Kafka before its row is written, so a GET after a
 * POST or DELETE sees it (read-your-writes); the topic's consumer writes the same rows for records made elsewhere.
 */
@ApplicationScoped
public class SubscriptionService {

    static final List<String> ONE_PARAMETERS = List.of("account");
    static final List<String> LIST_PARAMETERS = List.of("carrier", "account", "limit", "cursor");

    private final SubscriptionLog log;
    private final SubscriptionRepository subscriptions;
    private final ShipmentStatuses statuses;
    private final ConfiguredAccounts accounts;
    private final SubscriptionsConfig config;
    private final Clock clock;
    private final Map<Subscribed.Outcome, Counter> made = new EnumMap<>(Subscribed.Outcome.class);
    private final Counter ended;

    public SubscriptionService(
            SubscriptionLog log,
            SubscriptionRepository subscriptions,
            ShipmentStatuses statuses,
            ConfiguredAccounts accounts,
            SubscriptionsConfig config,
            Clock clock,
            MeterRegistry registry) {
        this.log = log;
        this.subscriptions = subscriptions;
        this.statuses = statuses;
        this.accounts = accounts;
        this.config = config;
        this.clock = clock;
        for (Subscribed.Outcome outcome : Subscribed.Outcome.values()) {
            made.put(
                    outcome,
                    Counter.builder("trackline.pollers.subscriptions.requested")
                            .description("Subscriptions asked for through the API, by what became of them")
                            .tag("outcome", outcome.name().toLowerCase())
                            .register(registry));
        }
        this.ended = Counter.builder("trackline.pollers.subscriptions.ended")
                .description("Subscriptions ended through the API")
                .register(registry);
    }

    /**
     * Subscribes every item of a request body, all or nothing as far as validation goes
     * ({@link SubscriptionRequests}). An item already subscribed keeps its first {@code subscribedAt}. One that is
     * subscribed as asked is published again all the same (the same record on a compacted topic: harmless): the
     * scheduler knows only the topic, and a row that outlived its record (a topic recreated, a broker's data lost)
     * would otherwise answer {@code existing} for a subscription nobody polls.
     *
     * @return one answer per item, in the request's order
     * @throws InvalidSubscriptionsException before anything is published when any item is invalid
     * @throws SubscriptionsUnavailableException when Kafka did not acknowledge every record in time; the
     *     acknowledged ones are stored
     */
    public List<Subscribed> subscribe(JsonNode body) {
        List<SubscriptionRequests.Item> items = SubscriptionRequests.parse(body, accounts);
        Map<String, SubscriptionRequests.Item> unique = new LinkedHashMap<>();
        items.forEach(item -> unique.putIfAbsent(item.shipmentId(), item));
        Map<String, SubscriptionRow> existing = subscriptions.findActive(unique.keySet());
        OffsetDateTime now = now();

        Map<String, Subscribed> answers = new LinkedHashMap<>();
        Map<String, CompletableFuture<SubscriptionLog.Position>> sent = new LinkedHashMap<>();
        boolean refused = false;
        for (Map.Entry<String, SubscriptionRequests.Item> entry : unique.entrySet()) {
            String id = entry.getKey();
            SubscriptionRequests.Item item = entry.getValue();
            SubscriptionRow row = existing.get(id);
            Subscribed.Outcome outcome;
            Subscription subscription;
            if (row == null) {
                outcome = Subscribed.Outcome.CREATED;
                subscription =
                        new Subscription(item.carrier(), item.account(), item.reference(), item.customerId(), now);
            } else if (Objects.equals(row.customerId(), item.customerId())) {
                outcome = Subscribed.Outcome.EXISTING;
                subscription = subscription(row);
            } else {
                outcome = Subscribed.Outcome.UPDATED;
                subscription = new Subscription(
                        item.carrier(), item.account(), item.reference(), item.customerId(), row.subscribedAt());
            }
            answers.put(id, new Subscribed(subscription, null, outcome));
            // A send refused at once (no broker metadata within max.block.ms) would be refused again for every
            // item after it, each after the same wait: the rest are not sent, and the answer is 503.
            CompletableFuture<SubscriptionLog.Position> published = refused
                    ? CompletableFuture.failedFuture(new IllegalStateException("not sent"))
                    : log.publish(subscription).toCompletableFuture();
            refused = published.isCompletedExceptionally();
            sent.put(id, published);
        }

        List<SubscriptionRow> acknowledged = new ArrayList<>();
        Throwable failure = await(sent.values());
        sent.forEach((id, future) -> {
            if (future.isDone() && !future.isCompletedExceptionally()) {
                SubscriptionLog.Position at = future.join();
                acknowledged.add(row(answers.get(id).subscription(), at));
            }
        });
        subscriptions.upsert(acknowledged, now);
        if (acknowledged.size() < sent.size()) {
            throw new SubscriptionsUnavailableException(
                    (sent.size() - acknowledged.size()) + " of " + sent.size()
                            + " subscriptions were not acknowledged by Kafka in time; send the request again"
                            + " (subscribing twice is harmless)",
                    failure);
        }
        answers.values().forEach(answer -> made.get(answer.outcome()).increment());

        Map<String, ShipmentStatus> known = statuses.findAll(unique.keySet());
        List<Subscribed> result = new ArrayList<>(items.size());
        for (SubscriptionRequests.Item item : items) {
            Subscribed answer = answers.get(item.shipmentId());
            result.add(new Subscribed(answer.subscription(), known.get(item.shipmentId()), answer.outcome()));
        }
        return result;
    }

    /** The active subscription a path names; {@code parameters} may hold {@code account}. */
    public Subscribed find(String carrier, String reference, Map<String, List<String>> parameters) {
        SubscriptionRow row = resolve(carrier, reference, parameters);
        Subscription subscription = subscription(row);
        return new Subscribed(subscription, statuses.find(row.shipmentId()).orElse(null), null);
    }

    /** Ends the subscription a path names: a tombstone on the topic, acknowledged, then the row. */
    public void unsubscribe(String carrier, String reference, Map<String, List<String>> parameters) {
        SubscriptionRow row = resolve(carrier, reference, parameters);
        CompletableFuture<SubscriptionLog.Position> tombstone =
                log.end(row.shipmentId()).toCompletableFuture();
        Throwable failure = await(List.of(tombstone));
        if (failure != null) {
            throw new SubscriptionsUnavailableException(
                    "Kafka did not acknowledge the end of the subscription in time; send the request again", failure);
        }
        SubscriptionLog.Position at = tombstone.join();
        subscriptions.end(row.shipmentId(), at.partition(), at.offset(), now());
        ended.increment();
    }

    /** One page of active subscriptions in shipment-id order ({@link #LIST_PARAMETERS}). */
    public SubscriptionPage list(Map<String, List<String>> parameters) {
        QueryParameters query = QueryParameters.of(parameters, LIST_PARAMETERS);
        Optional<Carrier> carrier = query.get("carrier")
                .map(c -> Carrier.find(c)
                        .orElseThrow(() -> new InvalidRequestException(
                                "'carrier' must be one of " + java.util.Arrays.toString(Carrier.values()))));
        Optional<String> account = query.get("account");
        int max = config.pages().maxSize();
        int limit =
                query.get("limit").map(l -> limit(l, max)).orElse(config.pages().defaultSize());
        Optional<String> after = query.get("cursor").map(SubscriptionService::decodeCursor);
        List<SubscriptionRow> rows = subscriptions.page(carrier, account, after, limit + 1);
        boolean more = rows.size() > limit;
        List<SubscriptionRow> page = more ? rows.subList(0, limit) : rows;
        Map<String, ShipmentStatus> known =
                statuses.findAll(page.stream().map(SubscriptionRow::shipmentId).toList());
        List<Subscribed> items = page.stream()
                .map(row -> new Subscribed(subscription(row), known.get(row.shipmentId()), null))
                .toList();
        return new SubscriptionPage(
                items, more ? encodeCursor(page.get(limit - 1).shipmentId()) : null);
    }

    /** A subscription record read from the topic at ({@code partition}, {@code offset}): its row. */
    public void stored(int partition, long offset, Subscription subscription) {
        subscriptions.upsert(List.of(row(subscription, new SubscriptionLog.Position(partition, offset))), now());
    }

    /** A tombstone read from the topic at ({@code partition}, {@code offset}): the row is marked ended. */
    public void endedOnTopic(int partition, long offset, String shipmentId) {
        subscriptions.end(shipmentId, partition, offset, now());
    }

    private SubscriptionRow resolve(String carrier, String reference, Map<String, List<String>> parameters) {
        QueryParameters.requireText("carrier", carrier);
        QueryParameters.requireText("reference", reference);
        Optional<String> account =
                QueryParameters.of(parameters, ONE_PARAMETERS).get("account");
        Carrier known = Carrier.find(carrier)
                .orElseThrow(() -> new SubscriptionNotFoundException("unknown carrier '" + carrier + "'"));
        String what = "no " + known + " subscription '" + reference + "'";
        if (account.isPresent()) {
            if (!ShipmentIds.ACCOUNT.matcher(account.get()).matches()) {
                throw new InvalidRequestException("'account' is not an account name (1 to 64 letters, digits, _, -)");
            }
            return subscriptions
                    .findActive(ShipmentIds.of(known, account.get(), reference))
                    .orElseThrow(() -> new SubscriptionNotFoundException(what + " in account '" + account.get() + "'"));
        }
        List<SubscriptionRow> found = subscriptions.findActiveByReference(known, reference.strip(), 2);
        if (found.isEmpty()) {
            throw new SubscriptionNotFoundException(what);
        }
        if (found.size() > 1) {
            throw new AmbiguousReferenceException(
                    "reference '" + reference + "' is subscribed in several accounts; add ?account=");
        }
        return found.get(0);
    }

    /** Waits for every future within the publish timeout; the first failure, or null when all completed. */
    private Throwable await(java.util.Collection<CompletableFuture<SubscriptionLog.Position>> futures) {
        if (futures.isEmpty()) {
            return null;
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    private static Subscription subscription(SubscriptionRow row) {
        return new Subscription(row.carrier(), row.account(), row.reference(), row.customerId(), row.subscribedAt());
    }

    private static SubscriptionRow row(Subscription s, SubscriptionLog.Position at) {
        return new SubscriptionRow(
                s.shipmentId(),
                s.carrier(),
                s.account(),
                s.reference(),
                s.customerId(),
                s.subscribedAt(),
                null,
                at.partition(),
                at.offset());
    }

    private static int limit(String limit, int max) {
        String problem = "'limit' must be an integer from 1 to " + max;
        if (limit.length() > 9 || !limit.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidRequestException(problem);
        }
        int size = Integer.parseInt(limit);
        if (size < 1 || size > max) {
            throw new InvalidRequestException(problem);
        }
        return size;
    }

    /** The cursor is the last shipment id of a page, in base64url: opaque to callers. */
    static String encodeCursor(String shipmentId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(shipmentId.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        InvalidRequestException refused = new InvalidRequestException("'cursor' is not a cursor this API returned");
        if (cursor.length() > 512) {
            throw refused;
        }
        String id;
        try {
            id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused;
        }
        if (id.split(":", 3).length != 3 || id.chars().anyMatch(c -> Character.isISOControl(c) || c == 0xFFFD)) {
            throw refused;
        }
        return id;
    }
}
