package io.trackline.ingest;

import io.trackline.samples.CarrierSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test callbacks and their signatures, made without Trackline's code: the MrSpeedy callback samples (carrier-samples)
 * have signatures made by {@code openssl}, committed in {@code signatures/} ({@code signatures/sign-samples.sh});
 * other bodies are signed by calling openssl when it is on the PATH, otherwise by {@code javax.crypto} directly.
 */
public final class Fixtures {

    /** Fake secrets of the test accounts (application.properties, %test profile). */
    public static final String ACME_SECRET = "test-secret-acme-not-real";

    public static final String ACME_PREVIOUS_SECRET = "test-previous-secret-acme-not-real";
    public static final String BETA_SECRET = "test-secret-beta-not-real";

    private static final boolean OPENSSL = openssl();

    private Fixtures() {}

    /** The sample's exact bytes, as MrSpeedy would send them. */
    public static byte[] body(CarrierSample sample) {
        return sample.bytes();
    }

    /** The committed openssl signature of a sample: {@code signer} is {@code acme} or {@code acme-previous}. */
    public static String signature(CarrierSample sample, String signer) {
        return new String(
                        resource("signatures/" + sample.fileName() + "." + signer + ".sig"), StandardCharsets.US_ASCII)
                .strip();
    }

    /** Lower-case hex HMAC-SHA256 of the body, made by openssl when available. */
    public static String sign(byte[] body, String secret) {
        return OPENSSL ? opensslSign(body, secret) : jceSign(body, secret);
    }

    public static String jceSign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String opensslSign(byte[] body, String secret) {
        try {
            Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", secret).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(body);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed");
            }
            return out.substring(out.lastIndexOf(' ') + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static boolean opensslAvailable() {
        return OPENSSL;
    }

    private static boolean openssl() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
