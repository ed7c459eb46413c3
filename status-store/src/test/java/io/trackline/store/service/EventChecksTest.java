package io.trackline.store.service;

import static io.trackline.store.service.TestEvents.valid;
import static io.trackline.store.service.TestEvents.withEta;
import static io.trackline.store.service.TestEvents.withEventId;
import static io.trackline.store.service.TestEvents.withLocation;
import static io.trackline.store.service.TestEvents.withRawText;
import static io.trackline.store.service.TestEvents.withReference;
import static io.trackline.store.service.TestEvents.withStatus;
import static io.trackline.store.service.TestEvents.withTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.Location;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What status-store refuses before the database, and with which code. */
class EventChecksTest {

    static String code(CanonicalEvent e) {
        return EventChecks.check(e).map(UnstorableEventException::code).orElse(null);
    }

    @Test
    void anOrdinaryEventPasses() {
        assertThat(EventChecks.check(valid("TH1"))).isEmpty();
        assertThat(code(withRawText(valid("TH1"), "ส่งแล้ว 📦 \u00e9\t\n"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z",
                "0001-01-01T00:00:00+15:59:59",
                "9999-12-31T23:59:59-15:59:59",
                "1970-01-01T00:00:00Z",
                "2026-11-20T08:00:00+14:00"
            })
    void timesInTheYears1To9999Pass(String time) {
        assertThat(code(withTime(valid("T"), OffsetDateTime.parse(time)))).isNull();
        assertThat(code(withEta(valid("T"), OffsetDateTime.parse(time)))).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+294277-01-01T00:00:00Z",
                "+294276-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "0000-12-31T23:59:59Z",
                "-4713-01-01T00:00:00Z",
                "-0001-06-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z"
            })
    void timesOutsideThoseYearsAreRefused(String time) {
        OffsetDateTime at = OffsetDateTime.parse(time);
        Optional<UnstorableEventException> occurred = EventChecks.check(withTime(valid("T"), at));
        assertThat(occurred)
                .get()
                .extracting(UnstorableEventException::code)
                .isEqualTo(UnstorableEventException.EVENT_TIME_OUT_OF_RANGE);
        assertThat(occurred.get().getMessage()).contains("occurredAt").contains("year " + at.getYear());
        assertThat(code(withEta(valid("T"), at))).isEqualTo(UnstorableEventException.EVENT_TIME_OUT_OF_RANGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-20T08:00:00+16:00", "2026-11-20T08:00:00-18:00", "2026-11-20T08:00:00+15:59:59"})
    void offsetsPostgresqlCannotReadAreRefused(String time) {
        OffsetDateTime at = OffsetDateTime.parse(time);
        String expected = Math.abs(at.getOffset().getTotalSeconds()) > EventChecks.MAX_OFFSET_SECONDS
                ? UnstorableEventException.EVENT_TIME_OUT_OF_RANGE
                : null;
        assertThat(code(withEta(valid("T"), at))).isEqualTo(expected);
        assertThat(code(withTime(valid("T"), at))).isEqualTo(expected);
    }

    @Test
    void nulAndUnpairedSurrogatesAreInvalidTextWherever() {
        String invalid = UnstorableEventException.INVALID_TEXT;
        assertThat(code(withRawText(valid("T"), "a\u0000b"))).isEqualTo(invalid);
        assertThat(code(withRawText(valid("T"), "a\ud800b"))).isEqualTo(invalid);
        assertThat(code(withRawText(valid("T"), "ab\ud800"))).isEqualTo(invalid);
        assertThat(code(withRawText(valid("T"), "a\udc00b"))).isEqualTo(invalid);
        assertThat(code(withRawText(valid("T"), "\udc00\ud800"))).isEqualTo(invalid);
        assertThat(code(withRawText(valid("T"), "\ud83d\udce6"))).isNull(); // a pair: 📦
        assertThat(code(withReference(valid("T"), "TH\u00001"))).isEqualTo(invalid);
        assertThat(code(withEventId(valid("T"), "id\ud800"))).isEqualTo(invalid);
        assertThat(code(withLocation(valid("T"), new Location(null, null, null, "33/5 \u0000 Sukhumvit", null, null))))
                .isEqualTo(invalid);
        assertThat(EventChecks.check(withLocation(valid("T"), Location.named("Hub\u0000", null, null)))
                        .get()
                        .getMessage())
                .isEqualTo("location.name contains U+0000 at index 3");
        assertThat(code(withReference(valid("T"), "TH\u00011"))).isEqualTo(invalid);
        assertThat(code(withEventId(valid("T"), "id\n"))).isEqualTo(invalid);
        assertThat(code(withRawText(valid("T"), "line\none\u0001"))).isNull(); // free text may have them
        CanonicalEvent refs =
                TestEvents.event("T", TestEvents.T0, "x", null, java.util.Map.of("trackingNumber", "T\ud800"));
        assertThat(code(refs)).isEqualTo(invalid);
    }

    @Test
    void identifiersLongerThanTheIndexesHoldAreTooLarge() {
        assertThat(code(withReference(valid("T"), "R".repeat(EventChecks.MAX_IDENTIFIER_BYTES))))
                .isNull();
        assertThat(code(withReference(valid("T"), "R".repeat(EventChecks.MAX_IDENTIFIER_BYTES + 1))))
                .isEqualTo(UnstorableEventException.TOO_LARGE);
        assertThat(code(withEventId(valid("T"), "ก".repeat(200)))).isEqualTo(UnstorableEventException.TOO_LARGE);
        assertThat(code(withEventId(valid("T"), "ก".repeat(170)))).isNull();
        assertThat(EventChecks.size(65_536, 65_536)).isEmpty();
        assertThat(EventChecks.size(65_537, 65_536))
                .get()
                .extracting(UnstorableEventException::code)
                .isEqualTo(UnstorableEventException.TOO_LARGE);
    }

    @Test
    void anEventWithoutARequiredFieldIsUnreadable() {
        assertThat(code(null)).isEqualTo(UnstorableEventException.UNREADABLE);
        assertThat(code(withEventId(valid("T"), null))).isEqualTo(UnstorableEventException.UNREADABLE);
        assertThat(code(withStatus(valid("T"), null))).isEqualTo(UnstorableEventException.UNREADABLE);
        assertThat(EventChecks.check(withTime(valid("T"), null)).get().getMessage())
                .isEqualTo("not a canonical event: no occurredAt");
    }
}
