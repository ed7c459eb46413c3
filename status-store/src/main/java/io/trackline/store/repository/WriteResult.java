package io.trackline.store.repository;

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

    static WriteResult empty(int received) {
        return new WriteResult(received, 0, received, 0, 0);
    }
}
