package io.trackline.normalizer.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trackline.normalizer.DeadLetterCode;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Carrier time texts: read, or refused with a code; never another exception. */
class CarrierTimesTest {

    static final ZoneId BANGKOK = ZoneId.of("Asia/Bangkok");

    @Test
    void readsTimesWithAndWithoutOffsetIncludingOnesOutsideTheWindow() throws Exception {
        assertThat(CarrierTimes.parse("2019-02-16T17:30:13+07:00", BANGKOK))
                .isEqualTo(OffsetDateTime.parse("2019-02-16T17:30:13+07:00"));
        assertThat(CarrierTimes.parse(" 2015-08-18 12:02:00 ", BANGKOK))
                .isEqualTo(OffsetDateTime.parse("2015-08-18T12:02:00+07:00"));
        // Readable, and refused later by the window (FactValidator), not here.
        assertThat(CarrierTimes.parse("+294277-01-01T00:00:00Z", BANGKOK).getYear())
                .isEqualTo(294277);
        assertThat(CarrierTimes.parse("-4713-01-01T00:00:00Z", BANGKOK).getYear())
                .isEqualTo(-4713);
        assertThat(CarrierTimes.parse("2019-02-16T17:30:13+18:00", BANGKOK)
                        .getOffset()
                        .getTotalSeconds())
                .isEqualTo(18 * 3600);
    }

    @Test
    void datesAndTimesThatCannotBeHeldAreOutOfRangeAndTextThatIsNoTimeIsInvalid() {
        Map<String, DeadLetterCode> cases = Map.ofEntries(
                Map.entry("9999-12-31T23:59:60Z", DeadLetterCode.EVENT_TIME_OUT_OF_RANGE),
                Map.entry("2019-02-16T17:30:13+25:00", DeadLetterCode.EVENT_TIME_OUT_OF_RANGE),
                Map.entry("2019-02-16T17:30:13-19:00", DeadLetterCode.EVENT_TIME_OUT_OF_RANGE),
                Map.entry("2019-02-30T00:00:00Z", DeadLetterCode.EVENT_TIME_OUT_OF_RANGE),
                Map.entry("2019-13-01 00:00:00", DeadLetterCode.EVENT_TIME_OUT_OF_RANGE),
                Map.entry("+1000000000-01-01T00:00:00Z", DeadLetterCode.EVENT_TIME_OUT_OF_RANGE),
                Map.entry("yesterday", DeadLetterCode.INVALID_TIME),
                Map.entry("2019-02-16T17:30:13+07:00[Asia/Bangkok]", DeadLetterCode.INVALID_TIME),
                Map.entry("1550313013", DeadLetterCode.INVALID_TIME),
                Map.entry("2019-02-16T17:30:13\u0000", DeadLetterCode.INVALID_TIME),
                Map.entry("2019-02-16T17:30:13" + "0".repeat(100_000), DeadLetterCode.INVALID_TIME));
        cases.forEach((text, code) -> assertThatThrownBy(() -> CarrierTimes.parse(text, BANGKOK))
                .as(text)
                .isInstanceOfSatisfying(UnparseableException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\u0000");
                }));
    }

    @Test
    void noTextMakesItThrowAnythingElse() {
        Random random = new Random(7);
        String alphabet = "0123456789+-:.TZ ,W\u0000\ud800";
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder(round % 3 == 0 ? "2019-02-16T" : "");
            for (int i = random.nextInt(30); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                CarrierTimes.parse(text.toString(), BANGKOK);
            } catch (UnparseableException expected) {
                assertThat(expected.code()).isNotNull();
            }
        }
    }
}
