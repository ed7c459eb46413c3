package io.trackline.ingest.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** MrSpeedy's {@code X-DV-Signature}: hex HMAC-SHA256 of the raw request body with the callback secret. */
public final class SignatureVerifier {

    /** Which configured secret a signature matched. */
    public enum Match {
        CURRENT,
        PREVIOUS
    }

    private static final String ALGORITHM = "HmacSHA256";
    private static final int SIGNATURE_BYTES = 32;

    /**
     * One initialized {@link Mac} per thread and secret (the secrets are the configured ones: a handful), reused:
     * {@code doFinal} resets it to its keyed state. Looking the algorithm up and keying a new Mac for every callback
     * cost a tenth of what the HMAC itself costs on the event loop.
     */
    private static final ThreadLocal<Map<String, Mac>> MACS = ThreadLocal.withInitial(HashMap::new);

    private SignatureVerifier() {}

    /**
     * Checks the signature against the current secret and then the previous one, each comparison in constant time
     * ({@link MessageDigest#isEqual}). The signature is hex in either case; surrounding spaces are ignored.
     *
     * @return the secret that matched, or empty when the signature is missing, malformed or wrong
     */
    public static Optional<Match> verify(
            byte[] body, String signatureHex, String secret, Optional<String> previousSecret) {
        Optional<byte[]> given = decode(signatureHex);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        if (MessageDigest.isEqual(hmac(secret, body), given.get())) {
            return Optional.of(Match.CURRENT);
        }
        if (previousSecret.isPresent() && MessageDigest.isEqual(hmac(previousSecret.get(), body), given.get())) {
            return Optional.of(Match.PREVIOUS);
        }
        return Optional.empty();
    }

    /** Lower-case hex HMAC-SHA256 of the body. */
    public static String sign(byte[] body, String secret) {
        return HexFormat.of().formatHex(hmac(secret, body));
    }

    private static Optional<byte[]> decode(String hex) {
        if (hex == null) {
            return Optional.empty();
        }
        String trimmed = hex.strip();
        if (trimmed.length() != SIGNATURE_BYTES * 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(HexFormat.of().parseHex(trimmed)); // accepts upper- and lower-case digits
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] hmac(String secret, byte[] body) {
        return MACS.get().computeIfAbsent(secret, SignatureVerifier::keyed).doFinal(body);
    }

    private static Mac keyed(String secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
