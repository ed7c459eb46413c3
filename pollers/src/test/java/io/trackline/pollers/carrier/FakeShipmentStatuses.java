package io.trackline.pollers.carrier;

import io.trackline.events.Carrier;
import io.trackline.pollers.service.ShipmentStatus;
import io.trackline.pollers.service.ShipmentStatuses;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** What Trackline "knows" of shipments in a test (enabled by {@link CarrierClientsProfile} only). */
@Alternative
@Singleton
public class FakeShipmentStatuses implements ShipmentStatuses {

    public final List<ShipmentStatus> known = new CopyOnWriteArrayList<>();

    @Override
    public Optional<ShipmentStatus> find(String shipmentId) {
        return known.stream().filter(s -> s.shipmentId().equals(shipmentId)).findFirst();
    }

    @Override
    public Map<String, ShipmentStatus> findAll(Collection<String> shipmentIds) {
        return known.stream()
                .filter(s -> shipmentIds.contains(s.shipmentId()))
                .collect(Collectors.toMap(ShipmentStatus::shipmentId, s -> s, (a, b) -> b));
    }

    @Override
    public List<ShipmentStatus> notFinal(Carrier carrier, String account, int limit) {
        return known.stream()
                .filter(s -> s.carrier() == carrier && s.account().equals(account) && !s.isFinal())
                .limit(limit)
                .toList();
    }
}
