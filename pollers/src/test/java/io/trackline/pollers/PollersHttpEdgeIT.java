package io.trackline.pollers;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.testsupport.HttpEdgeContract;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.PostgresTestResource;
import java.util.List;
import java.util.Optional;

/** The HTTP edge of pollers, on the subscriptions API and the operations endpoints. */
@QuarkusTest
@TestProfile(HttpEdgeContract.ShortIdleTimeout.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class PollersHttpEdgeIT extends HttpEdgeContract {

    @Override
    protected String headers() {
        return "X-API-Key: " + PollersTestData.KEY + "\r\n";
    }

    @Override
    protected List<String> paths() {
        return List.of("/q/health/live", "/q/metrics", "/api/v1/subscriptions");
    }

    @Override
    protected Optional<String> bodyPath() {
        return Optional.empty();
    }
}
