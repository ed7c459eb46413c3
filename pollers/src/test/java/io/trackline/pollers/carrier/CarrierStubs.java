package io.trackline.pollers.carrier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * One WireMock server on a random localhost port standing in for the three carriers, at carrier-sim's paths: the
 * REST clients' base URLs point at it.
 */
public class CarrierStubs implements QuarkusTestResourceLifecycleManager {

    private static volatile WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options()
                    .bindAddress("127.0.0.1")
                    .dynamicPort()
                    .containerThreads(16));
            server.start();
        }
        String base = "http://127.0.0.1:" + server.port();
        return Map.of(
                "quarkus.rest-client.all24.url", base + "/all24",
                "quarkus.rest-client.247express.url", base + "/247express",
                "quarkus.rest-client.mrspeedy.url", base + "/mrspeedy/api/business/1.0");
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
