package io.trackline.pollers;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.testsupport.HttpEdgeContract;
import java.util.Optional;

/** The HTTP edge of pollers: today only its operations endpoints. */
@QuarkusTest
@TestProfile(HttpEdgeContract.ShortIdleTimeout.class)
class PollersHttpEdgeIT extends HttpEdgeContract {

    @Override
    protected Optional<String> bodyPath() {
        return Optional.empty();
    }
}
