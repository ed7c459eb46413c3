package io.trackline.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A producer whose every send is reported within a publish timeout of the service's, by the producer itself: its
 * {@code delivery.timeout.ms} (the producer's bound on reporting success or failure after {@code send} returned) is
 * the publish timeout less {@code max.block.ms} (the most {@code send} may block), and {@code request.timeout.ms} at
 * most what is left of it after {@code linger.ms}, as the producer requires. No timer per record is needed, and a
 * record reported failed is given up then, not written after the caller heard it failed. ingest-webhooks' and the
 * pollers' raw producers use it.
 */
public final class ProducerTimeouts {

    private ProducerTimeouts() {}

    /**
     * The producer's settings {@code own} with its timeouts derived from {@code publishTimeout}.
     *
     * @param prefix         the settings' prefix, for messages (e.g. {@code trackline.kafka.raw-producer.})
     * @param timeoutSetting the name of the publish timeout's setting, for messages
     * @throws IllegalArgumentException if {@code own} names {@code delivery.timeout.ms} (set the publish timeout
     *                                  instead), or the publish timeout leaves no time after {@code max.block.ms}
     *                                  and {@code linger.ms}
     */
    public static Map<String, String> within(
            Map<String, String> own, Duration publishTimeout, String prefix, String timeoutSetting) {
        if (own.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            throw new IllegalArgumentException(prefix + ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG + " is derived from "
                    + timeoutSetting + ": set that instead");
        }
        long maxBlock = Long.parseLong(
                own.getOrDefault(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000").strip());
        long linger = Long.parseLong(
                own.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "5").strip());
        long delivery = publishTimeout.toMillis() - maxBlock;
        if (delivery <= linger) {
            throw new IllegalArgumentException(timeoutSetting + " " + publishTimeout
                    + " leaves no time to deliver after max.block.ms " + maxBlock + " and linger.ms " + linger);
        }
        long request = Math.min(
                Long.parseLong(own.getOrDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000")
                        .strip()),
                delivery - linger);
        Map<String, String> settings = new TreeMap<>(own);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
        return settings;
    }
}
