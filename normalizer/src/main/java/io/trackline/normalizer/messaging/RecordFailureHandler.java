package io.trackline.normalizer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.logging.Log;
import io.trackline.normalizer.DeadLetterCode;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' three exception handlers in one (the consumer rule, docs/architecture.md): what a raw record holds
 * never stops the application. {@link NormalizeProcessor} parks what it cannot use itself, inside the transaction;
 * what escapes it all the same is parked here, through {@link FailedRecords}, and the task goes on:
 * <ul>
 * <li>a raw record that cannot be deserialized (the sources read bytes, so none should): {@code invalid_envelope};</li>
 * <li>an exception out of the processor: {@code normalization_failed};</li>
 * <li>an output record Kafka refuses for good ({@link #permanent}): {@code publish_failed}, the raw record it came
 * from parked. A failure that may go away (broker away, a timeout) fails the task instead: Kafka Streams replaces the
 * thread ({@link StreamThreadReplacement}), the task resumes from its last commit, nothing is diverted.</li>
 * </ul>
 * When the dead letter itself cannot be written, the handler answers FAIL: the record is read again rather than lost.
 * Configured by class name ({@code kafka-streams.*.exception.handler}); it finds the service's {@link FailedRecords}
 * in the CDI container (none in a {@code TopologyTestDriver} test: it then only logs).
 */
public class RecordFailureHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {

    private FailedRecords failed;

    @Override
    public void configure(Map<String, ?> configs) {
        ArcContainer container = Arc.container();
        if (container != null) {
            InstanceHandle<FailedRecords> handle = container.instance(FailedRecords.class);
            failed = handle.isAvailable() ? handle.get() : null;
        }
    }

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        boolean parked = park(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                record.headers(),
                DeadLetterCode.INVALID_ENVELOPE,
                exception);
        return parked ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return park(context, DeadLetterCode.NORMALIZATION_FAILED, exception)
                ? ProcessingHandlerResponse.CONTINUE
                : ProcessingHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!permanent(exception)) {
            Log.warnf(
                    "sending to %s failed (%s): the task fails and resumes from its last commit",
                    record.topic(), exception.toString());
            return ProductionExceptionHandlerResponse.FAIL;
        }
        return park(context, DeadLetterCode.PUBLISH_FAILED, exception)
                ? ProductionExceptionHandlerResponse.CONTINUE
                : ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        return park(context, DeadLetterCode.PUBLISH_FAILED, exception)
                ? ProductionExceptionHandlerResponse.CONTINUE
                : ProductionExceptionHandlerResponse.FAIL;
    }

    private boolean park(ErrorHandlerContext context, DeadLetterCode code, Exception exception) {
        return park(
                context.topic(),
                context.partition(),
                context.offset(),
                context.sourceRawKey(),
                context.sourceRawValue(),
                context.headers(),
                code,
                exception);
    }

    private boolean park(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            org.apache.kafka.common.header.Headers headers,
            DeadLetterCode code,
            Exception exception) {
        if (failed == null) {
            Log.errorf(
                    "raw record %s-%d@%d not parked as %s (no dead-letter writer): %s",
                    topic, partition, offset, code.code(), exception.toString());
            return true;
        }
        return failed.park(topic, partition, offset, key, value, headers, code, exception);
    }

    /**
     * A failure to send that will not go away by trying again: the record (not the broker, not the settings) is the
     * problem. Everything else, timeouts and an unreachable broker first, is worth a retry.
     */
    static boolean permanent(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof RetriableException) {
                return false;
            }
            if (t instanceof RecordTooLargeException
                    || t instanceof RecordBatchTooLargeException
                    || t instanceof SerializationException
                    || t instanceof InvalidTopicException
                    || t instanceof InvalidRecordException
                    || t instanceof InvalidTimestampException
                    || t instanceof JsonProcessingException) {
                return true;
            }
        }
        return false;
    }
}
