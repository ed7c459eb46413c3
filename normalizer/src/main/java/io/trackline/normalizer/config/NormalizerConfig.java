package io.trackline.normalizer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Settings of the normalizer, under {@code trackline.normalizer}. */
@ConfigMapping(prefix = "trackline.normalizer")
public interface NormalizerConfig {

    /** The topic of canonical events (CloudEvents), co-partitioned with the raw topic. */
    @WithDefault("trackline.events.v1")
    String eventsTopic();

    /** A folder whose {@code <carrier>.json} files replace the mapping tables built into the jar. */
    Optional<Path> mappingDir();

    /**
     * How many consumed batches may have writes not yet acknowledged by Kafka while the next batch is processed. The
     * processor normalizes batch n+1 while batch n's events are on their way; a batch's offsets become committable
     * only when all its writes are stored, whatever this number. 1 waits for every batch before taking the next.
     */
    @WithDefault("4")
    int maxBatchesInFlight();

    /** Rebuilding the dedupe state from the events topic on a partition assignment. */
    Rebuild rebuild();

    /** Re-normalization: replaying the raw topic through the current mapping tables. */
    Renormalize renormalize();

    interface Rebuild {

        /** How long reading one assignment's partitions of the events topic may take before the consumer fails. */
        @WithDefault("PT5M")
        Duration timeout();
    }

    interface Renormalize {

        /**
         * When set, this instance is a re-normalization run: partitions of the raw topic without a committed offset
         * in this consumer group start at the first record at or after this instant, events whose status or reason
         * changed are published again under the same id, and the instance stops once it has read up to the end
         * offsets it found when it started.
         */
        Optional<Instant> from();

        /** Stop the application when the run has caught up (off in tests). */
        @WithDefault("true")
        boolean exitWhenDone();
    }
}
