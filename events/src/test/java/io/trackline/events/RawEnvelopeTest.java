package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawEnvelopeTest {

    @Test
    void wellFormedUtf8IsKeptAsText() {
        String thai = "{\"address\":\"ถนนสุขุมวิท กรุงเทพมหานคร\"}";
        assertThat(RawEnvelope.strictUtf8(thai.getBytes(StandardCharsets.UTF_8))).contains(thai);
        assertThat(RawEnvelope.strictUtf8(new byte[0])).contains("");
    }

    @Test
    void malformedUtf8IsRefused() {
        assertThat(RawEnvelope.strictUtf8(new byte[] {'{', (byte) 0xff, '}'})).isEmpty();
        // truncated three-byte sequence, overlong encoding of '/', UTF-8-encoded surrogate
        assertThat(RawEnvelope.strictUtf8(new byte[] {(byte) 0xe0, (byte) 0xb8})).isEmpty();
        assertThat(RawEnvelope.strictUtf8(new byte[] {(byte) 0xc0, (byte) 0xaf})).isEmpty();
        assertThat(RawEnvelope.strictUtf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isEmpty();
    }

    @Test
    void bothFactoriesMakeTheSameEnvelope() {
        byte[] payload = "{\"order\":{\"order_id\":1}}".getBytes(StandardCharsets.UTF_8);
        OffsetDateTime at = OffsetDateTime.parse("2026-11-25T10:00:00+07:00");
        RawEnvelope decoded = RawEnvelope.of(Carrier.MRSPEEDY, "demo", Source.WEBHOOK, "1", at, "r1",
                "application/json", Map.of(), payload);
        RawEnvelope given = RawEnvelope.of(Carrier.MRSPEEDY, "demo", Source.WEBHOOK, "1", at, "r1",
                "application/json", Map.of(), payload, RawEnvelope.strictUtf8(payload).orElseThrow());
        assertThat(given).isEqualTo(decoded);
        assertThat(given.payloadBytes()).isEqualTo(payload);
    }
}
