package io.trackline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** SmallRye's dead-letter header names and meanings: the reason is the message, the cause the cause's message. */
class DeadLettersTest {

    private static final List<Header> ORIGINAL = List.of(
            new RecordHeader("ce_id", "id-1".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("dead-letter-reason", "of an earlier life".getBytes(StandardCharsets.UTF_8)));

    @Test
    void reasonAndCauseAreMessagesAndTheClassesHaveHeadersOfTheirOwn() {
        Exception failure = new IllegalStateException(
                "not JSON (line 1, column 3)", new NumberFormatException("For input string: \"x\""));

        Headers headers = DeadLetters.headers(ORIGINAL, "trackline.events.v1", 2, 41L, "unreadable", failure);

        assertThat(DeadLetters.header(headers, DeadLetters.CODE)).isEqualTo("unreadable");
        assertThat(DeadLetters.header(headers, DeadLetters.REASON)).isEqualTo("not JSON (line 1, column 3)");
        assertThat(DeadLetters.header(headers, DeadLetters.EXCEPTION_CLASS))
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(DeadLetters.header(headers, DeadLetters.CAUSE)).isEqualTo("For input string: \"x\"");
        assertThat(DeadLetters.header(headers, DeadLetters.CAUSE_CLASS)).isEqualTo("java.lang.NumberFormatException");
        assertThat(DeadLetters.header(headers, DeadLetters.TOPIC)).isEqualTo("trackline.events.v1");
        assertThat(DeadLetters.header(headers, DeadLetters.PARTITION)).isEqualTo("2");
        assertThat(DeadLetters.header(headers, DeadLetters.OFFSET)).isEqualTo("41");
    }

    @Test
    void theRecordsOwnHeadersComeFirstAndAnEarlierDeadLettersAreDropped() {
        Headers headers = DeadLetters.headers(ORIGINAL, "t", 0, 0L, "c", new IllegalArgumentException("why"));

        List<String> names = StreamSupport.stream(headers.spliterator(), false)
                .map(Header::key)
                .toList();
        assertThat(names.get(0)).isEqualTo("ce_id");
        assertThat(headers.headers(DeadLetters.REASON)).hasSize(1);
        assertThat(DeadLetters.header(headers, DeadLetters.REASON)).isEqualTo("why");
    }

    @Test
    void withoutACauseThereIsNoCauseHeaderAndAMessagelessFailureIsNamedByItsClass() {
        Headers headers = DeadLetters.headers(null, "t", 0, 7L, "publish_failed", new RecordTooLargeException());

        assertThat(headers.lastHeader(DeadLetters.CAUSE)).isNull();
        assertThat(headers.lastHeader(DeadLetters.CAUSE_CLASS)).isNull();
        // As SmallRye does (Throwable.toString() of a failure without a message).
        assertThat(DeadLetters.header(headers, DeadLetters.REASON))
                .isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
    }

    @Test
    void aValueLeftOutIsMarkedWithItsSize() {
        Headers headers = DeadLetters.headers(null, "t", 0, 7L, "too_large", new IllegalStateException("big"));

        DeadLetters.valueOmitted(headers, 1048576);

        assertThat(DeadLetters.header(headers, DeadLetters.VALUE_OMITTED)).isEqualTo("1048576");
        assertThat(DeadLetters.header(headers, DeadLetters.REASON)).isEqualTo("big");
    }
}
