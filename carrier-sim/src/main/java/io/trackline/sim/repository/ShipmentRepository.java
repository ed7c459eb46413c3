package io.trackline.sim.repository;

import io.trackline.events.Carrier;
import io.trackline.sim.Shipment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The shipments the carriers know, in memory (the simulator is a test tool: a restart forgets them). Not thread-safe:
 * only {@code SimEngine} touches it, under its lock.
 */
@ApplicationScoped
public class ShipmentRepository {

    private final Map<String, Shipment> byReference = new HashMap<>();
    private final Map<String, Shipment> byAltReference = new HashMap<>();
    private final Map<String, NavigableMap<Long, Shipment>> byAccount = new HashMap<>();
    private final NavigableMap<Long, Shipment> bySerial = new TreeMap<>();

    public void add(Shipment shipment) {
        String key = key(shipment.carrier(), shipment.reference());
        if (byReference.containsKey(key)) {
            throw new IllegalStateException("reference taken: " + key);
        }
        byReference.put(key, shipment);
        if (shipment.altReference() != null) {
            byAltReference.put(key(shipment.carrier(), shipment.altReference()), shipment);
        }
        byAccount
                .computeIfAbsent(key(shipment.carrier(), shipment.account()), k -> new TreeMap<>())
                .put(shipment.number(), shipment);
        bySerial.put(shipment.serial(), shipment);
    }

    public void remove(Shipment shipment) {
        byReference.remove(key(shipment.carrier(), shipment.reference()));
        if (shipment.altReference() != null) {
            byAltReference.remove(key(shipment.carrier(), shipment.altReference()));
        }
        NavigableMap<Long, Shipment> account = byAccount.get(key(shipment.carrier(), shipment.account()));
        if (account != null) {
            account.remove(shipment.number());
        }
        bySerial.remove(shipment.serial());
    }

    public Shipment find(Carrier carrier, String reference) {
        return byReference.get(key(carrier, reference));
    }

    public Shipment findByAltReference(Carrier carrier, String altReference) {
        return byAltReference.get(key(carrier, altReference));
    }

    /** An account's shipments, highest number first (MrSpeedy lists by order_id, descending). */
    public Collection<Shipment> ofAccountDescending(Carrier carrier, String account) {
        NavigableMap<Long, Shipment> shipments = byAccount.get(key(carrier, account));
        return shipments == null
                ? Collections.emptyList()
                : shipments.descendingMap().values();
    }

    /** Shipments created after {@code serial} that match, oldest first, at most {@code limit}. */
    public List<Shipment> after(long serial, Predicate<Shipment> filter, int limit) {
        List<Shipment> out = new ArrayList<>();
        for (Shipment shipment : bySerial.tailMap(serial, false).values()) {
            if (out.size() >= limit) {
                break;
            }
            if (filter.test(shipment)) {
                out.add(shipment);
            }
        }
        return out;
    }

    public int size() {
        return byReference.size();
    }

    private static String key(Carrier carrier, String value) {
        return carrier.id() + "|" + value;
    }
}
