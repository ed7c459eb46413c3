package io.trackline.store.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.trackline.events.Carrier;
import io.trackline.http.api.QueryParameters;
import io.trackline.store.Shipment;
import io.trackline.store.ShipmentView;
import io.trackline.store.TimelineEvent;
import io.trackline.store.config.StoreConfig;
import io.trackline.store.repository.ShipmentChanges;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Finds shipments, their timelines and their changes. Reads go through Panache; writes are the consumer's. */
@ApplicationScoped
public class ShipmentService {

    /** A shipment with its events, oldest first. */
    public record Timeline(Shipment shipment, List<TimelineEvent> events) {}

    /** The query parameters of the endpoints that name one shipment. */
    static final List<String> SHIPMENT_PARAMETERS = List.of("account");

    private final ShipmentChanges changes;
    private final StoreConfig config;

    public ShipmentService(ShipmentChanges changes, StoreConfig config) {
        this.changes = changes;
        this.config = config;
    }

    /**
     * The shipment a path names. {@code parameters} are the request's query parameters: only {@code account} is
     * taken. A carrier or reference that is merely unknown is 404; one that cannot be an identifier at all
     * (control characters, broken Unicode) is 400.
     */
    @WithSession
    public Uni<Shipment> find(String carrier, String reference, Map<String, List<String>> parameters) {
        return Uni.createFrom()
                .item(() -> lookup(carrier, reference, parameters))
                .flatMap(this::find);
    }

    /** Who is asked for: checked before anything reaches the database. */
    private record Lookup(String carrier, String reference, Optional<String> account) {}

    private static Lookup lookup(String carrier, String reference, Map<String, List<String>> parameters) {
        QueryParameters.requireText("carrier", carrier);
        QueryParameters.requireText("reference", reference);
        Optional<String> account =
                QueryParameters.of(parameters, SHIPMENT_PARAMETERS).get("account");
        String carrierId = Carrier.find(carrier)
                .map(Carrier::id)
                .orElseThrow(() -> new ShipmentNotFoundException("unknown carrier '" + carrier + "'"));
        return new Lookup(carrierId, reference, account);
    }

    private Uni<Shipment> find(Lookup lookup) {
        String carrierId = lookup.carrier();
        String reference = lookup.reference();
        Optional<String> account = lookup.account();
        Uni<List<Shipment>> matches = account.map(a -> Shipment.<Shipment>list(
                        "carrier = ?1 and reference = ?2 and account = ?3", carrierId, reference, a))
                .orElseGet(() -> Shipment.list("carrier = ?1 and reference = ?2", carrierId, reference));
        return matches.map(found -> {
            if (found.isEmpty()) {
                throw new ShipmentNotFoundException("no " + carrierId + " shipment '" + reference + "'"
                        + account.map(a -> " in account '" + a + "'").orElse(""));
            }
            if (found.size() > 1) {
                throw new AmbiguousReferenceException(
                        "reference '" + reference + "' exists in " + found.size() + " accounts; add ?account=");
            }
            return found.get(0);
        });
    }

    @WithSession
    public Uni<Timeline> timeline(String carrier, String reference, Map<String, List<String>> parameters) {
        return find(carrier, reference, parameters)
                .flatMap(shipment -> TimelineEvent.<TimelineEvent>list(
                                "shipmentId", Sort.by("occurredAt").and("eventId"), shipment.id)
                        .map(events -> new Timeline(shipment, events)));
    }

    /**
     * One keyset page, ordered by (updatedAt, id); the cursor is the last row's position. {@code parameters} are
     * the request's query parameters ({@link ShipmentQuery#PARAMETERS}).
     */
    @WithSession
    public Uni<ShipmentView.Page> list(Map<String, List<String>> parameters) {
        return Uni.createFrom()
                .item(() -> ShipmentQuery.parse(parameters, config.pages()))
                .flatMap(this::list);
    }

    private Uni<ShipmentView.Page> list(ShipmentQuery query) {
        int limit = query.limit();
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        query.status().ifPresent(status -> {
            where.add("status = :status");
            params.and("status", status.name());
        });
        query.carrier().ifPresent(carrier -> {
            where.add("carrier = :carrier");
            params.and("carrier", carrier.id());
        });
        query.account().ifPresent(account -> {
            where.add("account = :account");
            params.and("account", account);
        });
        query.updatedSince().ifPresent(since -> {
            where.add("updatedAt >= :since");
            params.and("since", since);
        });
        query.after().ifPresent(after -> {
            where.add("(updatedAt > :afterAt or (updatedAt = :afterAt and id > :afterId))");
            params.and("afterAt", after.updatedAt()).and("afterId", after.id());
        });
        Sort order = Sort.by("updatedAt").and("id");
        return (where.isEmpty()
                        ? Shipment.<Shipment>findAll(order)
                        : Shipment.<Shipment>find(String.join(" and ", where), order, params.map()))
                .range(0, limit) // one more than asked tells whether a next page exists
                .list()
                .map(rows -> {
                    boolean more = rows.size() > limit;
                    List<Shipment> page = more ? rows.subList(0, limit) : rows;
                    String next =
                            more ? new Cursor(page.get(limit - 1).updatedAt, page.get(limit - 1).id).encode() : null;
                    return new ShipmentView.Page(
                            page.stream().map(ShipmentView::of).toList(), next);
                });
    }

    /**
     * The shipment now, then each change as it is committed. The live feed is joined before the current state is
     * read, and nothing older than what was already sent is sent again, so no change falls between the two.
     */
    public Multi<ShipmentView> stream(String carrier, String reference, Map<String, List<String>> parameters) {
        return Panache.withSession(() -> find(carrier, reference, parameters))
                .onItem()
                .transformToMulti(found -> {
                    AtomicReference<OffsetDateTime> sent = new AtomicReference<>();
                    Uni<Shipment> reload = Panache.withSession(() -> Shipment.findById(found.id));
                    Multi<ShipmentView> current = Multi.createFrom().uni(reload.map(ShipmentView::of));
                    return Multi.createBy()
                            .merging()
                            .streams(changes.of(found.id).map(ShipmentView::of), current)
                            .filter(view -> {
                                OffsetDateTime last = sent.get();
                                if (last != null && !view.updatedAt().isAfter(last)) {
                                    return false;
                                }
                                sent.set(view.updatedAt());
                                return true;
                            });
                });
    }
}
