package io.trackline.store.service;

/**
 * What one batch write did.
 *
 * @param received   events in the batch
 * @param stored     events new to the timeline
 * @param duplicates events already stored (redeliveries, or the same event twice in the batch)
 * @param shipments  shipment rows written
 * @param replayed   shipments whose status was decided again from their whole timeline because of a late event
 */
public record WriteResult(int received, int stored, int duplicates, int shipments, int replayed) {

    /** Nothing written. */
    public static final WriteResult NONE = new WriteResult(0, 0, 0, 0, 0);

    static WriteResult empty(int received) {
        return new WriteResult(received, 0, received, 0, 0);
    }

    /** Both writes together (a batch written in parts, when some of its records could not be stored). */
    public WriteResult plus(WriteResult other) {
        return new WriteResult(
                received + other.received,
                stored + other.stored,
                duplicates + other.duplicates,
                shipments + other.shipments,
                replayed + other.replayed);
    }
}
