package io.trackline.pollers.service;

import io.trackline.events.Carrier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The shipments' latest statuses as learned from {@code trackline.events.v1}, shared by every poller instance. */
public interface ShipmentStatuses {

    Optional<ShipmentStatus> find(String shipmentId);

    /** The known ones among {@code shipmentIds}, by id. */
    Map<String, ShipmentStatus> findAll(Collection<String> shipmentIds);

    /** Shipments of one account not yet in a final status, oldest news first, at most {@code limit}. */
    List<ShipmentStatus> notFinal(Carrier carrier, String account, int limit);
}
