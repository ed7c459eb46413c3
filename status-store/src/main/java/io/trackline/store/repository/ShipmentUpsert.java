package io.trackline.store.repository;

import io.trackline.events.Carrier;
import io.trackline.store.ShipmentState;
import java.util.Map;

/**
 * One shipment row to insert or update: its identity (written on insert), the references to merge into the stored
 * ones, and its new state.
 */
public record ShipmentUpsert(
        String id,
        Carrier carrier,
        String account,
        String reference,
        Map<String, String> references,
        ShipmentState state) {}
