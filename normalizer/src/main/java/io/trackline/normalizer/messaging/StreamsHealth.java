package io.trackline.normalizer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.ThreadMetadata;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The Kafka Streams application in {@code /q/health}, from {@link KafkaStreams#state()} (the extension's own checks
 * are off, see application.properties):
 * <ul>
 * <li>readiness {@value #NAME}: UP while {@code RUNNING} or {@code REBALANCING} (tasks moving between instances is
 * normal work), DOWN otherwise: {@code CREATED} (not started yet), {@code PENDING_SHUTDOWN}, {@code NOT_RUNNING},
 * {@code PENDING_ERROR}, {@code ERROR};</li>
 * <li>liveness {@value #NAME}: DOWN only in {@code PENDING_ERROR} and {@code ERROR}, when no stream thread is left and
 * only a restart helps. A failed thread is replaced ({@link StreamThreadReplacement}), so this is rare.</li>
 * </ul>
 * Data: the state, the stream threads, and the active and standby tasks of this instance.
 */
@ApplicationScoped
public class StreamsHealth {

    static final String NAME = "trackline-normalizer-streams";
    static final Set<State> READY = Set.of(State.RUNNING, State.REBALANCING);
    static final Set<State> DEAD = Set.of(State.PENDING_ERROR, State.ERROR);

    private final Instance<KafkaStreams> streams;

    public StreamsHealth(Instance<KafkaStreams> streams) {
        this.streams = streams;
    }

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck readiness() {
        return () -> check(state -> READY.contains(state));
    }

    @Produces
    @Liveness
    @ApplicationScoped
    HealthCheck liveness() {
        return () -> check(state -> !DEAD.contains(state));
    }

    private HealthCheckResponse check(java.util.function.Predicate<State> up) {
        KafkaStreams kafkaStreams = streams.get();
        State state = kafkaStreams.state();
        HealthCheckResponseBuilder answer =
                HealthCheckResponse.named(NAME).status(up.test(state)).withData("state", state.name());
        try {
            Set<ThreadMetadata> threads = kafkaStreams.metadataForLocalThreads();
            answer.withData("threads", threads.size())
                    .withData(
                            "activeTasks",
                            threads.stream()
                                    .mapToLong(t -> t.activeTasks().size())
                                    .sum())
                    .withData(
                            "standbyTasks",
                            threads.stream()
                                    .mapToLong(t -> t.standbyTasks().size())
                                    .sum());
        } catch (RuntimeException e) {
            answer.withData("error", e.getClass().getSimpleName());
        }
        return answer.build();
    }
}
