package io.trackline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** {@code @QuarkusTestResource(KafkaTestResource.class)}: points the application at the test JVM's real broker. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", TestInfra.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // One broker per test JVM: stopped by a shutdown hook, not per application.
    }
}
