package io.trackline.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** MrSpeedy callbacks as the carrier sends them: the document's example body, signed as the document says. */
final class Callbacks {

    private Callbacks() {
    }

    /** The document's callback example (status {@code available}) for this order id. */
    static byte[] example(long orderId) {
        try (InputStream in = Callbacks.class.getResourceAsStream("/fixtures/mrspeedy-callback-example.json")) {
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return template.replace("${ORDER_ID}", String.valueOf(orderId)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code X-DV-Signature}: HMAC-SHA256 of the exact body bytes under the callback secret, in hex. */
    static String signature(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
