package io.trackline.normalizer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.Location;
import io.trackline.events.Source;
import io.trackline.events.TracklineJson;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.Normalizer.Normalized;
import io.trackline.samples.CarrierSample;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CanonicalEventJson} writes byte for byte what the object mapper wrote for the same event. */
class CanonicalEventJsonTest {

    static void assertSameAsMapper(CanonicalEvent event) throws Exception {
        // writeValueAsBytes, as the publisher wrote before: its UTF-8 generator escapes the two halves of a surrogate
        // pair (an emoji), where writeValueAsString keeps the character
        String expected = new String(TracklineJson.mapper().writeValueAsBytes(event), StandardCharsets.UTF_8);
        assertThat(new String(CanonicalEventJson.write(event), StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }

    @Test
    void everyEventOfTheCarrierSamplesIsWrittenAsTheMapperWritesIt() throws Exception {
        Normalizer normalizer = Samples.normalizer(Samples.metrics(new SimpleMeterRegistry()));
        List<CanonicalEvent> events = new ArrayList<>();
        for (CarrierSample sample : CarrierSample.values()) {
            Carrier carrier = sample.name().startsWith("ALL24")
                    ? Carrier.ALL24
                    : sample.name().startsWith("EXPRESS247") ? Carrier.EXPRESS247 : Carrier.MRSPEEDY;
            String payload = sample.name().startsWith("MRSPEEDY_CALLBACK")
                    ? Samples.activeWithPickup(sample.text())
                    : sample.text();
            for (Normalized n : normalizer.normalize(Samples.envelope(carrier, Source.POLL, null, payload))) {
                events.add(n.event());
            }
        }
        assertThat(events).hasSizeGreaterThan(10);
        assertThat(events).anySatisfy(e -> assertThat(e.location()).isNotNull());
        assertThat(events).anySatisfy(e -> assertThat(e.reason()).isNotNull());
        for (CanonicalEvent event : events) {
            assertSameAsMapper(event);
        }
    }

    @Test
    void missingFieldsEmptyPartsAndTextThatNeedsEscapingAreWrittenAsTheMapperWritesThem() throws Exception {
        assertSameAsMapper(CanonicalEvent.builder().build());
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("mrspeedyOrderId", "12\"50\\032");
        refs.put("ชื่อ", "ถนน สุขุมวิท \u0001\t\n\u2028 😀");
        refs.put("nothing", null);
        CanonicalEvent full = CanonicalEvent.builder()
                .eventId("e")
                .shipmentId("mrspeedy:demo:1")
                .carrier(Carrier.EXPRESS247)
                .account("acc</script>")
                .reference("1")
                .references(refs)
                .status(CanonicalStatus.DELIVERY_FAILED)
                .reason(CanonicalReason.RECIPIENT_UNAVAILABLE)
                .occurredAt(OffsetDateTime.parse("2019-02-16T17:30:13.120+07:00"))
                .location(new Location("", "Bang Na", null, "33/5 ถนน", "13.7", ""))
                .rawCode("DELAY")
                .rawText("line\r\nbreak")
                .rawTime("2019-02-16 17:30:13")
                .source(Source.WEBHOOK)
                .eta(OffsetDateTime.parse("2019-02-16T10:30Z"))
                .mappingVersion("v7")
                .rawField("delayCode")
                .reversal(true)
                .build();
        assertSameAsMapper(full);
        assertSameAsMapper(full.toBuilder()
                .references(Map.of())
                .location(new Location(null, null, null, null, null, null))
                .reversal(false)
                .build());
        assertSameAsMapper(
                full.toBuilder().location(Location.named("Hub", "", "10110")).build());
    }

    @Test
    void timesAreWrittenAsTheIsoOffsetFormatterWritesThem() throws Exception {
        Random random = new Random(20261201);
        List<OffsetDateTime> times = new ArrayList<>(List.of(
                OffsetDateTime.parse("2019-02-16T17:30:13+07:00"),
                OffsetDateTime.parse("2019-02-16T00:00Z"),
                OffsetDateTime.parse("2019-02-16T17:30:13.5-03:30"),
                OffsetDateTime.parse("2019-02-16T17:30:13.000000001+14:00"),
                OffsetDateTime.parse("2019-02-16T17:30:13.100200300-12:00"),
                OffsetDateTime.of(999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(10_000, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(1)),
                OffsetDateTime.of(2026, 12, 1, 13, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(5, 30, 15))));
        for (int i = 0; i < 2000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            times.add(OffsetDateTime.of(
                    1000 + random.nextInt(9000),
                    1 + random.nextInt(12),
                    1 + random.nextInt(28),
                    random.nextInt(24),
                    random.nextInt(60),
                    random.nextInt(60),
                    nano,
                    ZoneOffset.ofTotalSeconds(60 * (random.nextInt(18 * 60 * 2 + 1) - 18 * 60))));
        }
        for (OffsetDateTime t : times) {
            assertThat(CanonicalEventJson.time(t)).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
            assertSameAsMapper(CanonicalEvent.builder().occurredAt(t).eta(t).build());
        }
    }
}
