package io.trackline.normalizer.carrier;

import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import java.util.List;

/**
 * Reads one carrier's raw payloads into carrier facts. Knows the carrier's format, not the canonical statuses:
 * those come from the carrier's mapping table. Adding a carrier is adding a package with one of these.
 */
public interface CarrierParser {

    Carrier carrier();

    /**
     * @return every fact in the payload (a poll may carry a whole history), oldest first
     * @throws UnparseableException when the payload is not what this carrier sends
     * @throws CarrierErrorResponse when the payload is the carrier's error answer (no facts in it)
     */
    List<CarrierFact> parse(RawEnvelope envelope) throws UnparseableException, CarrierErrorResponse;
}
