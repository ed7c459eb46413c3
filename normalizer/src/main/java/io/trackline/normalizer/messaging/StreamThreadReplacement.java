package io.trackline.normalizer.messaging;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * A stream thread that fails (Kafka away longer than the clients wait, a transaction the broker fenced or aborted, a
 * send that failed for a reason that may go away) is replaced by a new one, which resumes its tasks from their last
 * commit: nothing is lost, nothing is published twice, and the instance goes on by itself once the cause is gone
 * (the consumer rule's transient failures). Nothing a record holds gets here: {@link NormalizeProcessor} and
 * {@link RecordFailureHandler} park such records. quarkus-kafka-streams sets this bean on its {@code KafkaStreams}.
 */
@ApplicationScoped
public class StreamThreadReplacement implements StreamsUncaughtExceptionHandler {

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        Log.errorf(exception, "a stream thread failed; it is replaced and resumes from the last commit");
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
