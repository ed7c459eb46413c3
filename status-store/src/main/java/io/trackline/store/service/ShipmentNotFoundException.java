package io.trackline.store.service;

/** No shipment matches the carrier and reference asked for. */
public class ShipmentNotFoundException extends RuntimeException {

    public ShipmentNotFoundException(String message) {
        super(message, null, false, false);
    }
}
