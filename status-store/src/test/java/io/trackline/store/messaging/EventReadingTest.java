package io.trackline.store.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trackline.events.CanonicalStatus;
import io.trackline.store.service.UnstorableEventException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the consumer reads a record's bytes, and the reasons it gives (never quoting the value). */
class EventReadingTest {

    static UnstorableEventException refusal(String value, int max) {
        try {
            EventConsumer.read(value == null ? null : value.getBytes(StandardCharsets.UTF_8), max);
        } catch (UnstorableEventException e) {
            return e;
        }
        throw new AssertionError("read");
    }

    @Test
    void aCanonicalEventIsRead() {
        String json = """
                {"schemaVersion":1,"eventId":"e1","shipmentId":"all24:acme:T1","carrier":"all24","account":"acme",
                 "reference":"T1","status":"IN_TRANSIT","occurredAt":"+294277-01-01T00:00:00Z","extra":1}""";
        assertThat(EventConsumer.read(json.getBytes(StandardCharsets.UTF_8), 65536)
                        .status())
                .isEqualTo(CanonicalStatus.IN_TRANSIT);
    }

    @Test
    void whatIsNoCanonicalEventIsUnreadableWithAReasonThatQuotesNothing() {
        assertThat(refusal("{not json", 65536).getMessage())
                .startsWith("not JSON")
                .doesNotContain("not json");
        assertThat(refusal("[1,2]", 65536).getMessage()).startsWith("not a canonical event");
        assertThat(refusal("{\"status\":\"SECRET_VALUE\"}", 65536).getMessage())
                .isEqualTo(
                        "not a canonical event: field 'status' cannot be read as CanonicalStatus (line 1, column 11)")
                .doesNotContain("SECRET_VALUE");
        assertThat(refusal("{\"occurredAt\":\"yesterday\"}", 65536).getMessage())
                .startsWith("not a canonical event: field 'occurredAt'");
        assertThat(refusal("null", 65536).getMessage()).isEqualTo("the value is JSON null");
        assertThat(refusal(null, 65536).getMessage()).isEqualTo("no value (a tombstone)");
        assertThat(refusal("", 65536).code()).isEqualTo(UnstorableEventException.UNREADABLE);
        assertThatThrownBy(() -> EventConsumer.read(new byte[] {(byte) 0xff, 0, '{'}, 65536))
                .isInstanceOf(UnstorableEventException.class);
    }

    @Test
    void aValueOverTheLimitIsTooLargeAndNotParsed() {
        UnstorableEventException e = refusal("x".repeat(70_000), 65536);
        assertThat(e.code()).isEqualTo(UnstorableEventException.TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("value of 70000 bytes, more than the 65536 bytes an event may have");
    }
}
