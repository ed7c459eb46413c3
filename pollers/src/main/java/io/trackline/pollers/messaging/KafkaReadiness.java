package io.trackline.pollers.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.Topics;
import io.trackline.kafka.KafkaClients;
import io.trackline.kafka.TopicCheck;
import io.trackline.pollers.config.SubscriptionsConfig;
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
 * Ready when the broker answers, within 2 s, that the topics the pollers write exist ({@link TopicCheck}): the
 * subscriptions topic (a POST is answered only after Kafka took the record) and the raw topic (polled answers).
 * Not a liveness check: a broker outage is no reason to restart the service.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final TopicCheck check;

    public KafkaReadiness(
            @Identifier("default-kafka-broker") Map<String, Object> kafka, SubscriptionsConfig subscriptions) {
        this.admin = KafkaClients.admin(kafka, "trackline-pollers-health", (int) TIMEOUT.toMillis());
        this.check = new TopicCheck(admin, List.of(subscriptions.topic(), Topics.RAW), TIMEOUT);
    }

    @Override
    public HealthCheckResponse call() {
        TopicCheck.Result result = check.check();
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("kafka")
                .status(result.up())
                .withData("topics", String.join(",", result.topics()));
        if (!result.up()) {
            answer.withData("error", result.error());
        }
        return answer.build();
    }

    void close(@Observes ShutdownEvent stop) {
        admin.close(Duration.ofSeconds(2));
    }
}
