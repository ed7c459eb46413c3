package io.trackline.sim;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small callback receiver on a random localhost port, started before the application: {@code /hooked} answers
 * 500 to the first callback and 200 to every later one; {@code /failing} always answers 503; {@code /noisy} and
 * {@code /documented} always 200. The MrSpeedy accounts {@code hooked}, {@code failing}, {@code noisy} and
 * {@code documented} send their callbacks there.
 */
public class CallbackReceiver implements QuarkusTestResourceLifecycleManager {

    /** One callback as it arrived. */
    public record Received(String path, byte[] body, String signature, String contentType) {}

    public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final AtomicInteger HOOKED_CALLS = new AtomicInteger();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            RECEIVED.add(new Received(
                    path,
                    body,
                    exchange.getRequestHeaders().getFirst("X-DV-Signature"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            int status = switch (path) {
                case "/hooked" -> HOOKED_CALLS.getAndIncrement() == 0 ? 500 : 200;
                case "/noisy", "/documented" -> 200;
                default -> 503;
            };
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        String base = "http://localhost:" + server.getAddress().getPort();
        return Map.of(
                "trackline.sim.mrspeedy.accounts.hooked.callback-url", base + "/hooked",
                "trackline.sim.mrspeedy.accounts.failing.auth-token", "failing-mrspeedy-token-not-real",
                "trackline.sim.mrspeedy.accounts.failing.callback-url", base + "/failing",
                "trackline.sim.mrspeedy.accounts.failing.callback-secret", "failing-callback-secret-not-real",
                "trackline.sim.mrspeedy.accounts.noisy.auth-token", "noisy-mrspeedy-token-not-real",
                "trackline.sim.mrspeedy.accounts.noisy.callback-url", base + "/noisy",
                "trackline.sim.mrspeedy.accounts.noisy.callback-secret", "noisy-callback-secret-not-real",
                "trackline.sim.mrspeedy.accounts.documented.auth-token", "documented-mrspeedy-token-not-real",
                "trackline.sim.mrspeedy.accounts.documented.callback-url", base + "/documented",
                "trackline.sim.mrspeedy.accounts.documented.callback-secret", "documented-callback-secret-not-real");
    }

    public static List<Received> at(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
