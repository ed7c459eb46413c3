package io.trackline.store.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.store.Shipment;
import io.trackline.store.ShipmentView;
import io.trackline.store.TimelineEvent;
import io.trackline.store.config.StoreConfig;
import io.trackline.store.repository.ShipmentChanges;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Finds shipments, their timelines and their changes. Reads go through Panache; writes are the consumer's. */
@ApplicationScoped
public class ShipmentService {

    /** A shipment with its events, oldest first. */
    public record Timeline(Shipment shipment, List<TimelineEvent> events) {
    }

    private final ShipmentChanges changes;
    private final StoreConfig config;

    public ShipmentService(ShipmentChanges changes, StoreConfig config) {
        this.changes = changes;
        this.config = config;
    }

    @WithSession
    public Uni<Shipment> find(String carrier, String reference, Optional<String> account) {
        Optional<Carrier> known = Carrier.find(carrier);
        if (known.isEmpty()) {
            return Uni.createFrom().failure(new ShipmentNotFoundException("unknown carrier '" + carrier + "'"));
        }
        String carrierId = known.get().id();
        Uni<List<Shipment>> matches = account
                .map(a -> Shipment.<Shipment>list("carrier = ?1 and reference = ?2 and account = ?3", carrierId,
                        reference, a))
                .orElseGet(() -> Shipment.list("carrier = ?1 and reference = ?2", carrierId, reference));
        return matches.map(found -> {
            if (found.isEmpty()) {
                throw new ShipmentNotFoundException("no " + carrierId + " shipment '" + reference + "'"
                        + account.map(a -> " in account '" + a + "'").orElse(""));
            }
            if (found.size() > 1) {
                throw new AmbiguousReferenceException("reference '" + reference + "' exists in " + found.size()
                        + " accounts; add ?account=");
            }
            return found.get(0);
        });
    }

    @WithSession
    public Uni<Timeline> timeline(String carrier, String reference, Optional<String> account) {
        return find(carrier, reference, account).flatMap(shipment -> TimelineEvent
                .<TimelineEvent>list("shipmentId", Sort.by("occurredAt").and("eventId"), shipment.id)
                .map(events -> new Timeline(shipment, events)));
    }

    /** One keyset page, ordered by (updatedAt, id); the cursor is the last row's position. */
    @WithSession
    public Uni<ShipmentView.Page> list(ShipmentQuery query) {
        int limit = Optional.ofNullable(query.limit()).orElse(config.pages().defaultSize());
        if (limit < 1 || limit > config.pages().maxSize()) {
            return Uni.createFrom().failure(new InvalidRequestException(
                    "'limit' must be between 1 and " + config.pages().maxSize()));
        }
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        try {
            if (query.status() != null) {
                where.add("status = :status");
                params.and("status", CanonicalStatus.valueOf(query.status().toUpperCase(Locale.ROOT)).name());
            }
            if (query.carrier() != null) {
                where.add("carrier = :carrier");
                params.and("carrier", Carrier.fromId(query.carrier()).id());
            }
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new InvalidRequestException(
                    "unknown 'status' or 'carrier'; statuses are " + List.of(CanonicalStatus.values())));
        }
        if (query.account() != null) {
            where.add("account = :account");
            params.and("account", query.account());
        }
        if (query.updatedSince() != null) {
            where.add("updatedAt >= :since");
            params.and("since", query.updatedSince());
        }
        if (query.after() != null) {
            Cursor after;
            try {
                after = Cursor.decode(query.after());
            } catch (InvalidRequestException e) {
                return Uni.createFrom().failure(e);
            }
            where.add("(updatedAt > :afterAt or (updatedAt = :afterAt and id > :afterId))");
            params.and("afterAt", after.updatedAt()).and("afterId", after.id());
        }
        Sort order = Sort.by("updatedAt").and("id");
        return (where.isEmpty() ? Shipment.<Shipment>findAll(order)
                : Shipment.<Shipment>find(String.join(" and ", where), order, params.map()))
                .range(0, limit) // one more than asked tells whether a next page exists
                .list()
                .map(rows -> {
                    boolean more = rows.size() > limit;
                    List<Shipment> page = more ? rows.subList(0, limit) : rows;
                    String next = more ? new Cursor(page.get(limit - 1).updatedAt, page.get(limit - 1).id).encode()
                            : null;
                    return new ShipmentView.Page(page.stream().map(ShipmentView::of).toList(), next);
                });
    }

    /**
     * The shipment now, then each change as it is committed. The live feed is joined before the current state is
     * read, and nothing older than what was already sent is sent again, so no change falls between the two.
     */
    public Multi<ShipmentView> stream(String carrier, String reference, Optional<String> account) {
        return Panache.withSession(() -> find(carrier, reference, account)).onItem().transformToMulti(found -> {
            AtomicReference<OffsetDateTime> sent = new AtomicReference<>();
            Uni<Shipment> reload = Panache.withSession(() -> Shipment.findById(found.id));
            Multi<ShipmentView> current = Multi.createFrom().uni(reload.map(ShipmentView::of));
            return Multi.createBy().merging().streams(changes.of(found.id), current)
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
