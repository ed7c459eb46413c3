package io.trackline.normalizer.carrier;

import com.fasterxml.jackson.databind.JsonNode;
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
     * The parts of a payload this parser reads ({@link JsonShape}): the tree given to {@link #parse} holds only
     * those. Null, the default, gives the whole tree.
     */
    default JsonShape shape() {
        return null;
    }

    /**
     * @param envelope the raw envelope (its metadata; the payload's exact bytes are in it too)
     * @param payload  the payload as a JSON tree (with the parts of {@link #shape()}, or whole), or null when the
     *                 payload is not JSON
     * @return every fact in the payload (a poll may carry a whole history), oldest first
     * @throws UnparseableException when the payload is not what this carrier sends
     * @throws CarrierErrorResponse when the payload is the carrier's error answer (no facts in it)
     */
    List<CarrierFact> parse(RawEnvelope envelope, JsonNode payload) throws UnparseableException, CarrierErrorResponse;
}
