package io.trackline.sim.carrier;

import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** What the engine knows of a carrier: its zone, when it takes orders, and how it plans a shipment's life. */
public interface CarrierLifecycle {

    Carrier carrier();

    /** The carrier's local zone: its times of day, and its local times without offset. */
    ZoneId zone();

    /** The scenarios {@code POST /sim/shipments} may ask for. */
    List<String> scenarios();

    /** The accounts shipments may be created for, in a stable order. */
    List<String> accounts();

    /** When merchants place orders with this carrier. */
    default DayProfile orderProfile() {
        return DayProfile.ORDERS;
    }

    /** Plans a whole shipment: its references and every change it will go through. */
    Shipment plan(PlanRequest request);

    /** References a client may look the shipment up by, besides {@link Shipment#reference()}. */
    default Map<String, String> references(Shipment shipment) {
        return Map.of();
    }

    /** The change's time as the carrier writes it. */
    String rawTime(Shipment shipment, int step);
}
