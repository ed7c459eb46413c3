package io.trackline.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A packaged Trackline service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running as its own process. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String module, int port, Path log, Process process) {
        this.module = module;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static Path root() {
        String root = System.getProperty("trackline.root");
        Path dir = root == null ? Path.of("").toAbsolutePath().getParent() : Path.of(root);
        return dir.toAbsolutePath();
    }

    static ServiceProcess start(String module, Map<String, String> properties) throws IOException {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw verify does)");
        }
        int port = freePort();
        Path logs = root().resolve("system-tests/target/service-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(module + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServiceProcess(module, port, log, process);
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    int port() {
        return port;
    }

    void awaitReady() {
        try {
            await(module + " ready")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(module + " exited: " + tail());
                        }
                        return ready();
                    });
        } catch (RuntimeException e) {
            throw new IllegalStateException(module + " did not become ready; log tail:\n" + tail(), e);
        }
    }

    private boolean ready() {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
