package io.trackline.sim.carrier;

import io.trackline.sim.service.NoiseSettings;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What a lifecycle needs to plan one shipment.
 *
 * @param account the carrier account it belongs to
 * @param index the shipment's number among its carrier's background ({@code manual} false) or on-demand shipments:
 *        references are derived from it, so they are unique and reproducible
 * @param serial creation order over all carriers
 * @param createdAt simulated creation time
 * @param random the shipment's own random stream
 * @param scenario a forced scenario, else one is drawn
 * @param noise the noise settings that apply to its plan
 * @param salt derived from the seed: runs with other seeds get other references
 */
public record PlanRequest(
        String account,
        long index,
        boolean manual,
        long serial,
        Instant createdAt,
        RandomGenerator random,
        Optional<String> scenario,
        NoiseSettings noise,
        long salt) {}
