package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The UTF-8 checks of {@link RawEnvelope}; its records are {@link RawRecordsTest}'s. */
class RawEnvelopeTest {

    @Test
    void wellFormedUtf8IsKeptAsText() {
        String thai = "{\"address\":\"ถนนสุขุมวิท กรุงเทพมหานคร\"}";
        assertThat(RawEnvelope.isWellFormedUtf8(thai.getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[0])).isTrue();
    }

    @Test
    void malformedUtf8IsRefused() {
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {'{', (byte) 0xff, '}'}))
                .isFalse();
        // truncated three-byte sequence, overlong encoding of '/', UTF-8-encoded surrogate
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {(byte) 0xe0, (byte) 0xb8}))
                .isFalse();
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {(byte) 0xc0, (byte) 0xaf}))
                .isFalse();
        assertThat(RawEnvelope.isWellFormedUtf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}))
                .isFalse();
    }

    @Test
    void theValidatorAgreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        CharsetDecoder strict = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String alphabet = "aZ{}\"ก-ฮ๐é€😀\u0000";
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = new byte[random.nextInt(12)];
                random.nextBytes(bytes);
            } else {
                StringBuilder text = new StringBuilder();
                for (int k = random.nextInt(8); k > 0; k--) {
                    text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(
                            0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
                }
                bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > 0 && random.nextBoolean()) {
                    bytes = Arrays.copyOf(bytes, bytes.length - 1); // may cut a sequence
                }
            }
            boolean jdk;
            try {
                strict.decode(ByteBuffer.wrap(bytes));
                jdk = true;
            } catch (CharacterCodingException e) {
                jdk = false;
            }
            assertThat(RawEnvelope.isWellFormedUtf8(bytes))
                    .as(HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdk);
        }
    }
}
