package io.trackline.store.messaging;

import io.trackline.kafka.ConsumerProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness DOWN while a partition this instance owns is stuck: records wait on it and the group's committed offset
 * has not moved for {@code trackline.store.consumer.stuck-after}. The data names the stuck partitions and the lag.
 * Offsets that cannot be read (broker away) leave it UP with the error in the data: the Kafka checks report the
 * broker, and stuck needs evidence.
 */
@Readiness
@ApplicationScoped
public class ConsumerStuckCheck implements HealthCheck {

    public static final String NAME = "trackline-store-consumer-progress";

    private final ConsumerWatch watch;

    public ConsumerStuckCheck(ConsumerWatch watch) {
        this.watch = watch;
    }

    @Override
    public HealthCheckResponse call() {
        ConsumerProgress progress = watch.progress();
        ConsumerProgress.Snapshot snapshot = progress.snapshot();
        HealthCheckResponseBuilder answer = HealthCheckResponse.named(NAME)
                .withData("topic", progress.topic())
                .withData("group", progress.groupId())
                .withData("stuck-after", progress.stuckAfter().toString())
                .withData("owned-partitions", watch.assigned().now().toString())
                .withData("lag", snapshot.lag())
                .withData(
                        "stuck-partitions",
                        snapshot.stuck().stream()
                                .map(p -> String.valueOf(p.partition()))
                                .collect(Collectors.joining(",")));
        for (ConsumerProgress.Partition p : snapshot.stuck()) {
            answer.withData(
                    "partition-" + p.partition(),
                    "lag " + p.lag() + ", committed " + p.committed() + " unmoved since " + p.lastMoved());
        }
        if (snapshot.at() != null) {
            answer.withData("read-at", snapshot.at().toString());
        }
        if (snapshot.error() != null) {
            answer.withData("error", snapshot.error());
        }
        return answer.status(snapshot.stuck().isEmpty()).build();
    }
}
