package io.trackline.ingest.service;

import static io.trackline.ingest.Fixtures.ACME_PREVIOUS_SECRET;
import static io.trackline.ingest.Fixtures.ACME_SECRET;
import static io.trackline.samples.CarrierSample.MRSPEEDY_CALLBACK_THAI;
import static io.trackline.samples.CarrierSample.MRSPEEDY_CALLBACK_THAI_COMPACT;
import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.ingest.Fixtures;
import io.trackline.ingest.service.SignatureVerifier.Match;
import io.trackline.samples.CarrierSample;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Signatures made by openssl (committed in {@code signatures/}) against the production verifier. */
class SignatureVerifierTest {

    private static final Optional<String> NO_PREVIOUS = Optional.empty();

    @ParameterizedTest
    @EnumSource(
            value = CarrierSample.class,
            names = {"MRSPEEDY_CALLBACK_THAI", "MRSPEEDY_CALLBACK_THAI_COMPACT", "MRSPEEDY_CALLBACK_UNKNOWN_FIELDS"})
    void opensslSignaturesVerifyInLowerAndUpperCase(CarrierSample fixture) {
        byte[] body = Fixtures.body(fixture);
        String signature = Fixtures.signature(fixture, "acme");

        assertThat(SignatureVerifier.verify(body, signature, ACME_SECRET, NO_PREVIOUS))
                .contains(Match.CURRENT);
        assertThat(SignatureVerifier.verify(body, signature.toUpperCase(Locale.ROOT), ACME_SECRET, NO_PREVIOUS))
                .contains(Match.CURRENT);
        assertThat(SignatureVerifier.sign(body, ACME_SECRET)).isEqualTo(signature);
    }

    @Test
    void thaiBodyIsSignedAsUtf8Bytes() {
        byte[] body = Fixtures.body(MRSPEEDY_CALLBACK_THAI);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("กรุงเทพมหานคร");
        // The same text in another encoding is other bytes, so it must not verify.
        byte[] latin = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
        assertThat(SignatureVerifier.verify(
                        latin, Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme"), ACME_SECRET, NO_PREVIOUS))
                .isEmpty();
    }

    @Test
    void bodiesDifferingOnlyInWhitespaceDoNotShareASignature() {
        byte[] pretty = Fixtures.body(MRSPEEDY_CALLBACK_THAI);
        byte[] compact = Fixtures.body(MRSPEEDY_CALLBACK_THAI_COMPACT);
        assertThat(pretty).isNotEqualTo(compact);

        assertThat(SignatureVerifier.verify(
                        compact, Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme"), ACME_SECRET, NO_PREVIOUS))
                .isEmpty();
        assertThat(SignatureVerifier.verify(
                        pretty, Fixtures.signature(MRSPEEDY_CALLBACK_THAI_COMPACT, "acme"), ACME_SECRET, NO_PREVIOUS))
                .isEmpty();
        byte[] trailingNewline = (new String(compact, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(SignatureVerifier.verify(
                        trailingNewline,
                        Fixtures.signature(MRSPEEDY_CALLBACK_THAI_COMPACT, "acme"),
                        ACME_SECRET,
                        NO_PREVIOUS))
                .isEmpty();
    }

    @Test
    void duringARotationThePreviousSecretIsAcceptedAndNamed() {
        byte[] body = Fixtures.body(MRSPEEDY_CALLBACK_THAI);
        String byPrevious = Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme-previous");

        assertThat(SignatureVerifier.verify(body, byPrevious, ACME_SECRET, Optional.of(ACME_PREVIOUS_SECRET)))
                .contains(Match.PREVIOUS);
        assertThat(SignatureVerifier.verify(body, byPrevious, ACME_SECRET, NO_PREVIOUS))
                .isEmpty();
        assertThat(SignatureVerifier.verify(
                        body,
                        Fixtures.signature(MRSPEEDY_CALLBACK_THAI, "acme"),
                        ACME_SECRET,
                        Optional.of(ACME_PREVIOUS_SECRET)))
                .contains(Match.CURRENT);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "zz",
                "not-hex-at-all-not-hex-at-all-not-hex-at-all-not-hex-at-all-xxxx",
                "5ab0235d9ab62327e08e1e89364a20659f8b56615632032f19ca75b13d21175",
                "5ab0235d9ab62327e08e1e89364a20659f8b56615632032f19ca75b13d2117566",
                "0000000000000000000000000000000000000000000000000000000000000000"
            })
    void malformedOrWrongSignaturesAreRejected(String signature) {
        assertThat(SignatureVerifier.verify(
                        Fixtures.body(MRSPEEDY_CALLBACK_THAI),
                        signature,
                        ACME_SECRET,
                        Optional.of(ACME_PREVIOUS_SECRET)))
                .isEmpty();
    }

    @Test
    void opensslAndJavaAgreeWhenOpensslIsOnThePath() {
        byte[] body = "{\"order\":{\"order_id\":1}}".getBytes(StandardCharsets.UTF_8);
        assertThat(Fixtures.sign(body, ACME_SECRET)).isEqualTo(Fixtures.jceSign(body, ACME_SECRET));
    }
}
