package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsoTimesTest {

    @Test
    void readsWhatTheJdkReads() {
        for (String text : List.of(
                "2019-02-16T17:30:13+07:00",
                "2026-11-25T04:41:46.530Z",
                "2026-11-25T04:41Z",
                "2026-11-25T04:41:46.123456789-03:30",
                "2024-02-29T23:59:59.1+00:00",
                "2026-01-01T00:00:00.000001+14:00")) {
            assertThat(IsoTimes.offsetDateTime(text))
                    .as(text)
                    .isEqualTo(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        assertThat(IsoTimes.localDateTime("2015-08-18 12:02:00")).isEqualTo(LocalDateTime.parse("2015-08-18T12:02:00"));
        assertThat(IsoTimes.localDateTime("2015-08-18T12:02")).isEqualTo(LocalDateTime.parse("2015-08-18T12:02:00"));
        assertThat(IsoTimes.offsetDateTime("2015-08-18 12:02:00")).isNull();
        assertThat(IsoTimes.localDateTime("2019-02-16T17:30:13+07:00")).isNull();
    }

    @Test
    void leavesEverythingElseToTheJdk() {
        for (String text : List.of(
                "",
                "2019-02-30T10:00:00Z",
                "2019-13-01T10:00:00Z",
                "2019-02-16T25:00:00Z",
                "2019-02-16T17:30:13+0700",
                "2019-02-16T17:30:13+07",
                "2019-02-16T17:30:13 +07:00",
                "16/02/2019 17:30",
                "2019-02-16T17:30:13.Z",
                "2019-02-16T17:30:13.1234567890Z",
                "2019-02-16T17:30:13+19:00",
                "2019-02-16T17:30:13Zx",
                "２０１９-02-16T17:30:13Z")) {
            assertThat(IsoTimes.offsetDateTime(text)).as(text).isNull();
            assertThat(IsoTimes.localDateTime(text)).as(text).isNull();
        }
        assertThat(IsoTimes.offsetDateTime(null)).isNull();
    }
}
