package io.trackline.normalizer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.testsupport.HttpEdgeContract;
import io.trackline.testsupport.KafkaTestResource;
import java.util.Optional;

/** The HTTP edge of the normalizer: its operations endpoints. */
@QuarkusTest
@TestProfile(HttpEdgeContract.ShortIdleTimeout.class)
@WithTestResource(KafkaTestResource.class)
class NormalizerHttpEdgeIT extends HttpEdgeContract {

    @Override
    protected Optional<String> bodyPath() {
        return Optional.empty();
    }
}
