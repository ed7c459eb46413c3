package io.trackline.store;

import static io.trackline.events.CanonicalStatus.IN_TRANSIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Carrier;
import io.trackline.testsupport.HttpEdgeContract;
import io.trackline.testsupport.PostgresTestResource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The HTTP edge of status-store, on the query API and the operations endpoints. */
@QuarkusTest
@TestProfile(StoreHttpEdgeIT.Profile.class)
@WithTestResource(StoreKafkaResource.class)
@WithTestResource(PostgresTestResource.class)
class StoreHttpEdgeIT extends HttpEdgeContract {

    static final Duration HEARTBEAT = Duration.ofMillis(400);

    /** The short idle timeout, and a stream heartbeat well inside it. */
    public static class Profile extends ShortIdleTimeout {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("trackline.store.stream.heartbeat", HEARTBEAT.toMillis() + "ms");
            return overrides;
        }
    }

    @Override
    protected Optional<String> bodyPath() {
        return Optional.empty(); // the query API takes no body
    }

    @Override
    protected String headers() {
        return "X-API-Key: " + StatusStoreIT.KEY + "\r\n";
    }

    @Override
    protected List<String> paths() {
        return List.of("/q/health/live", "/q/metrics", "/api/v1/shipments");
    }

    @Test
    void aQuietStreamStaysOpenPastTheIdleTimeoutOnHeartbeats() throws Exception {
        String ref = StatusStoreIT.unique("QUIET");
        Events.send(List.of(Events.event(Carrier.ALL24, "acme", ref, 1, IN_TRANSIT)));
        StatusStoreIT.awaitTimeline(Carrier.ALL24, ref, 1);

        Duration watch = IDLE_TIMEOUT.multipliedBy(2);
        List<String> lines = new ArrayList<>();
        boolean closed = false;
        try (Socket socket = new Socket("localhost", port())) {
            socket.getOutputStream()
                    .write(("GET /api/v1/shipments/all24/" + ref + "/stream HTTP/1.1\r\n"
                                    + "Host: localhost\r\nAccept: text/event-stream\r\n" + headers() + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            long end = System.nanoTime() + watch.toNanos();
            while (System.nanoTime() < end) {
                socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
                String line;
                try {
                    line = in.readLine();
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (line == null) {
                    closed = true;
                    break;
                }
                lines.add(line);
            }
        }
        assertThat(closed).as("the stream was closed: " + lines).isFalse();
        assertThat(lines.get(0)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(lines).anyMatch(line -> line.startsWith("data:") && line.contains(ref));
        // a heartbeat every 400 ms for twice the idle timeout, give or take scheduling
        assertThat(lines.stream().filter(line -> line.startsWith(":")).count()).isGreaterThanOrEqualTo(5);
    }
}
