package io.trackline.ingest.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.kafka.KafkaClients;
import io.trackline.kafka.TopicCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the broker answers, within 2 s, that the raw topic exists ({@link TopicCheck}): a receiver that cannot
 * store callbacks should not get them. Not a liveness check: a broker outage is no reason to restart the receiver.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final TopicCheck check;

    public KafkaReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka, RawPublisher publisher) {
        this.admin = KafkaClients.admin(kafka, "trackline-ingest-webhooks-health", (int) TIMEOUT.toMillis());
        this.check = new TopicCheck(admin, List.of(publisher.topic()), TIMEOUT);
    }

    @Override
    public HealthCheckResponse call() {
        TopicCheck.Result result = check.check();
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("kafka")
                .status(result.up())
                .withData("topic", String.join(",", result.topics()));
        if (!result.up()) {
            answer.withData("error", result.error());
        }
        return answer.build();
    }

    void close(@Observes ShutdownEvent stop) {
        admin.close(Duration.ofSeconds(2));
    }
}
