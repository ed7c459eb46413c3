package io.trackline.normalizer.messaging;

import io.trackline.kafka.ConsumerProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN while a raw partition this instance owns is stuck (records waiting, no commit for the stuck-after
 * time), so a consumer that stopped moving is visible even where the channel itself looks alive. Offsets that cannot
 * be read (broker away) do not turn it DOWN: the Kafka connector's own checks say that.
 */
@Readiness
@ApplicationScoped
public class ConsumerProgressCheck implements HealthCheck {

    static final String NAME = "trackline-normalizer-consumer";

    private final RawConsumerProgress progress;

    public ConsumerProgressCheck(RawConsumerProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        ConsumerProgress.Snapshot snapshot = progress.snapshot();
        HealthCheckResponseBuilder answer = HealthCheckResponse.named(NAME)
                .status(snapshot.stuck().isEmpty())
                .withData("topic", progress.topic())
                .withData("group", progress.groupId())
                .withData("lag", snapshot.lag())
                .withData("stuckAfter", progress.stuckAfter().toString());
        if (!snapshot.stuck().isEmpty()) {
            answer.withData(
                    "stuckPartitions",
                    snapshot.stuck().stream()
                            .map(p -> Integer.toString(p.partition()))
                            .collect(Collectors.joining(",")));
            answer.withData(
                    "stuckLag",
                    snapshot.stuck().stream()
                            .mapToLong(ConsumerProgress.Partition::lag)
                            .sum());
        }
        if (snapshot.at() != null) {
            answer.withData("checkedAt", snapshot.at().toString());
        }
        if (snapshot.error() != null) {
            answer.withData("error", snapshot.error());
        }
        return answer.build();
    }
}
