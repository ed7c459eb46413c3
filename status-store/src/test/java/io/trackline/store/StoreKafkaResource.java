package io.trackline.store;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.TestInfra;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@link KafkaTestResource}, tolerating one known hiccup: on a slow machine the admin client retries a topic
 * creation that had succeeded and reports {@link TopicExistsException}; the broker is up and the topics exist.
 */
public class StoreKafkaResource implements QuarkusTestResourceLifecycleManager {

    private final KafkaTestResource delegate = new KafkaTestResource();

    @Override
    public Map<String, String> start() {
        try {
            return delegate.start();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof TopicExistsException) {
                    return Map.of("kafka.bootstrap.servers", TestInfra.kafka().bootstrapServers());
                }
            }
            throw e;
        }
    }

    @Override
    public void stop() {
        delegate.stop();
    }
}
