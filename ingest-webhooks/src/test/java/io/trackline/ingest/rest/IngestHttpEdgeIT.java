package io.trackline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.testsupport.HttpEdgeContract;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.RawHttp;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The HTTP edge of ingest-webhooks, on its callback endpoint and its operations endpoints. */
@QuarkusTest
@TestProfile(HttpEdgeContract.ShortIdleTimeout.class)
@WithTestResource(KafkaTestResource.class)
class IngestHttpEdgeIT extends HttpEdgeContract {

    private static final String CALLBACK = "/webhooks/mrspeedy/acme";

    @Override
    protected Optional<String> bodyPath() {
        return Optional.of(CALLBACK);
    }

    @Test
    void aContentTypeWithoutASlashGetsTheSameAnswerAsAnotherType() {
        RawHttp.Answer other = post("text/plain");
        RawHttp.Answer bare = post("json");
        assertThat(other.status()).isEqualTo(415);
        assertThat(bare.status()).isEqualTo(415);
        assertThat(bare.code()).isEqualTo(other.code()).isEqualTo("unsupported_media_type");
    }

    private RawHttp.Answer post(String type) {
        return send(
                "POST " + CALLBACK + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type
                        + "\r\nX-DV-Signature: 00\r\nContent-Length: 2\r\n\r\n{}",
                Duration.ZERO);
    }
}
