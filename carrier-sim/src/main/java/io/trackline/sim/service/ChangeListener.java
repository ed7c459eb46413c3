package io.trackline.sim.service;

import io.trackline.sim.ChangeRecord;
import io.trackline.sim.Shipment;

/** Told of every change as it happens (under the engine's lock: keep it short). */
public interface ChangeListener {

    void revealed(Shipment shipment, int step, ChangeRecord record);
}
