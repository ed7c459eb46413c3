package io.trackline.pollers.service;

import io.trackline.events.Subscription;
import io.trackline.pollers.repository.PollStateRepository;
import io.trackline.pollers.repository.PollStateRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link PollStates} in PostgreSQL ({@link PollStateRepository}, table {@code pollers.poll_state}). */
@ApplicationScoped
public class PollStateStore implements PollStates {

    private final PollStateRepository repository;

    public PollStateStore(PollStateRepository repository) {
        this.repository = repository;
    }

    @Override
    public Map<String, PollState> loadOrCreate(Collection<Subscription> subscriptions) {
        Map<String, Instant> subscribedAt = new LinkedHashMap<>();
        for (Subscription s : subscriptions) {
            subscribedAt.put(s.shipmentId(), s.subscribedAt().toInstant());
        }
        return states(repository.loadOrCreate(subscribedAt));
    }

    @Override
    public Map<String, PollState> load(Collection<String> shipmentIds) {
        return states(repository.load(shipmentIds));
    }

    @Override
    public Set<String> compareAndSet(Collection<PollState> states) {
        List<PollStateRow> rows = states.stream().map(PollStateStore::row).toList();
        return repository.compareAndSet(rows);
    }

    @Override
    public void delete(String shipmentId) {
        repository.delete(shipmentId);
    }

    private static Map<String, PollState> states(Map<String, PollStateRow> rows) {
        Map<String, PollState> states = new HashMap<>();
        rows.forEach((id, r) -> states.put(id, state(r)));
        return states;
    }

    static PollState state(PollStateRow r) {
        return new PollState(
                r.shipmentId(),
                r.subscribedAt(),
                r.lastPolledAt(),
                r.lastOutcome(),
                r.lastDigest(),
                r.lastChangedAt(),
                r.nextDue(),
                r.misses(),
                r.firstMissAt(),
                r.errors(),
                r.retiredReason() == null ? null : RetireReason.fromId(r.retiredReason()),
                r.retiredAt(),
                r.version());
    }

    static PollStateRow row(PollState s) {
        return new PollStateRow(
                s.shipmentId(),
                s.subscribedAt(),
                s.lastPolledAt(),
                s.lastOutcome(),
                s.lastDigest(),
                s.lastChangedAt(),
                s.nextDue(),
                s.misses(),
                s.firstMissAt(),
                s.errors(),
                s.retired() == null ? null : s.retired().id(),
                s.retiredAt(),
                s.version());
    }
}
