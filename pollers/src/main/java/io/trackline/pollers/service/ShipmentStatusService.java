package io.trackline.pollers.service;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.events.ReferenceKeys;
import io.trackline.events.ShipmentIds;
import io.trackline.pollers.repository.RepositoryException;
import io.trackline.pollers.repository.ShipmentStatusRepository;
import io.trackline.pollers.repository.StatusRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest status of every shipment seen on {@code trackline.events.v1}, subscribed or not (MrSpeedy orders known
 * only from callbacks are reconciled from here). Which event decides: the newest by occurredAt, and at the same
 * instant a final status over one that is not ({@link ShipmentStatusRepository}). This is not status-store's
 * {@code StatusRules} (that lives in another service): an unmapped code ({@code UNKNOWN}) or a late non-final event
 * after a final one does move the status here, which at worst polls a finished shipment again.
 */
@ApplicationScoped
public class ShipmentStatusService implements ShipmentStatuses {

    /** What became of one batch of events. */
    public record Recorded(int stored, List<Integer> rejected) {}

    private final ShipmentStatusRepository repository;
    private final Clock clock;

    public ShipmentStatusService(ShipmentStatusRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * Records a batch of events (their order is the topic's). The batch is one transaction; when PostgreSQL refuses
     * it for a reason of its values, each event is tried alone and the refused ones are reported by index.
     *
     * @throws StorageUnavailableException when PostgreSQL cannot be reached or is overloaded: try again later
     */
    public Recorded record(List<CanonicalEvent> events) {
        OffsetDateTime now =
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        List<StatusRow> rows = new ArrayList<>(events.size());
        for (CanonicalEvent event : events) {
            rows.add(row(event, now));
        }
        try {
            repository.record(rows);
            return new Recorded(rows.size(), List.of());
        } catch (RepositoryException e) {
            if (e.isTransient()) {
                throw new StorageUnavailableException(e.getMessage(), e);
            }
        }
        List<Integer> rejected = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                repository.record(List.of(rows.get(i)));
            } catch (RepositoryException e) {
                if (e.isTransient()) {
                    throw new StorageUnavailableException(e.getMessage(), e);
                }
                rejected.add(i);
            }
        }
        return new Recorded(rows.size() - rejected.size(), rejected);
    }

    static StatusRow row(CanonicalEvent event, OffsetDateTime receivedAt) {
        return new StatusRow(
                event.shipmentId(),
                event.carrier(),
                event.account(),
                event.reference(),
                aliasOf(event),
                event.status(),
                event.occurredAt(),
                event.occurredAt(),
                event.eventId(),
                receivedAt,
                event.eta());
    }

    /** all24 events are keyed by all24's own number; a subscription by the third party's number finds them here. */
    private static String aliasOf(CanonicalEvent event) {
        if (event.carrier() != Carrier.ALL24 || event.references() == null) {
            return null;
        }
        String thirdParty = event.references().get(ReferenceKeys.THIRD_PARTY_TRACKING_NUMBER);
        if (thirdParty == null || thirdParty.isBlank()) {
            return null;
        }
        try {
            String alias = ShipmentIds.of(event.carrier(), event.account(), thirdParty);
            return alias.equals(event.shipmentId()) ? null : alias;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public Optional<ShipmentStatus> find(String shipmentId) {
        return repository.find(shipmentId).map(row -> status(shipmentId, row));
    }

    @Override
    public Map<String, ShipmentStatus> findAll(Collection<String> shipmentIds) {
        Map<String, ShipmentStatus> found = new LinkedHashMap<>();
        repository.findAll(shipmentIds).forEach((id, row) -> found.put(id, status(id, row)));
        return found;
    }

    @Override
    public List<ShipmentStatus> notFinal(Carrier carrier, String account, int limit) {
        return repository.notFinal(carrier, account, limit).stream()
                .map(row -> status(row.shipmentId(), row))
                .toList();
    }

    /**
     * The row as the status of {@code askedFor}: the shipment's own id, or the all24 third-party id it is also
     * known by (then the status answers for the subscription that names it).
     */
    private static ShipmentStatus status(String askedFor, StatusRow row) {
        boolean alias = !askedFor.equals(row.shipmentId());
        String reference = alias ? askedFor.split(":", 3)[2] : row.reference();
        return new ShipmentStatus(
                askedFor,
                row.carrier(),
                row.account(),
                reference,
                row.status(),
                row.statusSince(),
                row.lastEventAt(),
                row.eta());
    }
}
