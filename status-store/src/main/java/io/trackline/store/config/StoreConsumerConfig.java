package io.trackline.store.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.trackline.events.Topics;
import java.time.Duration;

/** The events consumer's own settings ({@code trackline.store.consumer.*}): dead letters and progress. */
@ConfigMapping(prefix = "trackline.store.consumer")
public interface StoreConsumerConfig {

    /** Where records that can never be stored are parked, bytes kept, the reason in headers. */
    @WithDefault(Topics.EVENTS_DLQ)
    String deadLetterTopic();

    /** A record value larger than this is parked as {@code too_large} without being parsed. */
    @WithDefault("65536")
    int maxEventBytes();

    /**
     * A partition whose committed offset has not moved for this long while records wait on it is stuck, and
     * readiness goes DOWN. Keep it well above the commit interval ({@code auto.commit.interval.ms}, 5 s) and the
     * longest batch write.
     */
    @WithDefault("60s")
    Duration stuckAfter();

    /** How often committed and end offsets are read from the broker (lag gauges, stuck partitions). */
    @WithDefault("5s")
    Duration progressInterval();

    /** How long one read of the offsets may take. */
    @WithDefault("5s")
    Duration progressTimeout();
}
