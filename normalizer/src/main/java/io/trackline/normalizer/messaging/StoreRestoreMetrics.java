package io.trackline.normalizer.messaging;

import io.quarkus.logging.Log;
import io.trackline.normalizer.service.NormalizerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Restores of the {@value NormalizerTopology#STORE} store from its changelog (a start without local state, a task
 * moved to this instance without a standby): counted as {@code trackline_normalizer_store_restored_records_total},
 * each logged with its duration. quarkus-kafka-streams sets this bean as the global restore listener.
 */
@ApplicationScoped
public class StoreRestoreMetrics implements StateRestoreListener {

    private final NormalizerMetrics metrics;

    public StoreRestoreMetrics(NormalizerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        Log.infof("restoring store %s from %s, offsets %d to %d", store, changelog, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
        metrics.restored(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        Log.infof("store %s restored from %s: %d records", store, changelog, totalRestored);
    }
}
