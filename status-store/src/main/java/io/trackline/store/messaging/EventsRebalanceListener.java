package io.trackline.store.messaging;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Rebalance listener of {@code events-in}: keeps the partitions this instance owns for {@link ConsumerWatch}. */
@ApplicationScoped
@Identifier(EventsRebalanceListener.NAME)
public class EventsRebalanceListener implements KafkaConsumerRebalanceListener {

    /** {@code mp.messaging.incoming.events-in.consumer-rebalance-listener.name}. */
    public static final String NAME = "trackline-status-store-rebalance";

    private final ConsumerWatch watch;

    public EventsRebalanceListener(ConsumerWatch watch) {
        this.watch = watch;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watch.assigned().assigned(partitions);
        Log.infof(
                "partitions assigned: %s; owned now: %s",
                partitions, watch.assigned().now());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watch.assigned().revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watch.assigned().revoked(partitions);
    }
}
