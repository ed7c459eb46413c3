package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which bytes can be JSON text in UTF-8: UTF-16 and UTF-32 never, whatever they hold; UTF-8 with JSON whitespace. */
class Utf8JsonTextTest {

    static final String JSON = "{\"event_datetime\":\"2019-02-16T17:30:13+07:00\",\"order\":{\"order_id\":1250032,"
            + "\"points\":[{\"address\":\"ถนน สุขุมวิท กรุงเทพมหานคร Café\"}]}}";

    @Test
    void utf16AndUtf32WithoutAByteOrderMarkAreNotUtf8JsonText() {
        for (String name : new String[] {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
            Charset charset = Charset.forName(name);
            for (String text : new String[] {JSON, "{\"order\":{\"order_id\":1}}", "1", "[]"}) {
                byte[] bytes = text.getBytes(charset);
                assertThat(RawEnvelope.isUtf8JsonText(bytes))
                        .as("%s %s", name, text)
                        .isFalse();
            }
            // ASCII in UTF-16 or UTF-32 is well-formed UTF-8 (NUL is a character): why the JSON check is needed
            assertThat(RawEnvelope.isWellFormedUtf8("{\"a\":1}".getBytes(charset)))
                    .as(name)
                    .isTrue();
        }
    }

    @Test
    void utf8JsonWithItsWhitespaceIsUtf8JsonText() {
        String pretty = "{\n\t\"order\" : {\r\n  \"order_id\" : 1,\n  \"text\" : \"a\\u0000b\\n\"\n }\n}\n";
        assertThat(RawEnvelope.isUtf8JsonText(pretty.getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(RawEnvelope.isUtf8JsonText(JSON.getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(RawEnvelope.isUtf8JsonText(new byte[0])).isTrue();
    }

    @Test
    void aSingleControlByteAnywhereIsFound() {
        byte[] base = "{\"order\":{\"order_id\":1,\"note\":\"abcdefghijklmnopqrstuvwxyz0123456789\"}}"
                .getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < base.length; at++) {
            for (int control = 0; control < 0x20; control++) {
                byte[] bytes = base.clone();
                bytes[at] = (byte) control;
                boolean whitespace = control == '\t' || control == '\n' || control == '\r';
                assertThat(RawEnvelope.isUtf8JsonText(bytes))
                        .as("0x%02x at %d", control, at)
                        .isEqualTo(whitespace);
                assertThat(RawEnvelope.isWellFormedUtf8(bytes)).isTrue();
            }
        }
    }

    @Test
    void agreesWithTheUtf8CheckOnBytesWithoutControls() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length; i++) {
                if ((bytes[i] & 0xff) < 0x20) {
                    bytes[i] = (byte) (bytes[i] | 0x20);
                }
            }
            assertThat(RawEnvelope.isUtf8JsonText(bytes)).isEqualTo(RawEnvelope.isWellFormedUtf8(bytes));
        }
    }
}
