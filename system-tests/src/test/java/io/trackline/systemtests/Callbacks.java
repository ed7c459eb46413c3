package io.trackline.systemtests;

import io.trackline.samples.CarrierSample;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** MrSpeedy callbacks as the carrier sends them: the document's example body, signed as the document says. */
final class Callbacks {

    /** The order id of the document's callback example. */
    private static final String EXAMPLE_ORDER_ID = "\"order_id\": 1250032,";

    private Callbacks() {}

    /** The document's callback example (status {@code available}), as carrier-samples holds it, for this order id. */
    static byte[] example(long orderId) {
        String example = CarrierSample.MRSPEEDY_CALLBACK.text();
        if (!example.contains(EXAMPLE_ORDER_ID)) {
            throw new IllegalStateException("the callback example no longer has " + EXAMPLE_ORDER_ID);
        }
        return example.replace(EXAMPLE_ORDER_ID, "\"order_id\": " + orderId + ",")
                .getBytes(StandardCharsets.UTF_8);
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
