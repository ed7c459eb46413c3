package io.trackline.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record, with the names and meanings of SmallRye Reactive Messaging's dead-letter-queue
 * strategy ({@code KafkaDeadLetterQueue}), so any tool that reads SmallRye's dead letters reads Trackline's too:
 * {@value #REASON} is the failure's message, {@value #CAUSE} its cause's message, {@value #EXCEPTION_CLASS} and
 * {@value #CAUSE_CLASS} their class names, and {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET} where the record
 * was read. Trackline adds {@value #CODE}, a stable low-cardinality reason code (the tag of the dead-letter counters),
 * and {@value #VALUE_OMITTED} on the rare dead letter that could not keep the record's value.
 * The record's own headers are kept before these; its key and value are kept byte for byte by the caller.
 */
public final class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    public static final String CAUSE_CLASS = "dead-letter-cause-class-name";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** Trackline's stable reason code, e.g. {@code event_time_out_of_range}, {@code rejected_by_database}. */
    public static final String CODE = "dead-letter-code";
    /**
     * Trackline's, rare: set on a dead letter stored without the record's value (the value and the dead-letter
     * headers together were more than Kafka takes), to the size in bytes of the value left out; the value itself
     * stays on the source topic at {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET} until retention.
     */
    public static final String VALUE_OMITTED = "dead-letter-value-omitted";

    private DeadLetters() {}

    /**
     * @param original the headers of the record as it was read (kept, in order, before the dead-letter headers)
     * @param code     a stable reason code, lower case with underscores
     * @param failure  why the record cannot be used; its message becomes {@value #REASON}
     */
    public static Headers headers(
            Iterable<Header> original, String topic, int partition, long offset, String code, Throwable failure) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().startsWith("dead-letter-")) {
                    headers.add(header);
                }
            }
        }
        add(headers, CODE, code);
        add(
                headers,
                REASON,
                failure.getMessage() != null
                        ? failure.getMessage()
                        : failure.getClass().getName());
        add(headers, EXCEPTION_CLASS, failure.getClass().getName());
        Throwable cause = failure.getCause();
        if (cause != null) {
            add(
                    headers,
                    CAUSE,
                    cause.getMessage() != null
                            ? cause.getMessage()
                            : cause.getClass().getName());
            add(headers, CAUSE_CLASS, cause.getClass().getName());
        }
        add(headers, TOPIC, topic);
        add(headers, PARTITION, Integer.toString(partition));
        add(headers, OFFSET, Long.toString(offset));
        return headers;
    }

    /** Marks {@code headers} as those of a dead letter without the record's value, which had {@code size} bytes. */
    public static Headers valueOmitted(Headers headers, int size) {
        headers.remove(VALUE_OMITTED);
        add(headers, VALUE_OMITTED, Integer.toString(size));
        return headers;
    }

    /** The header's last value as UTF-8 text, or null. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
