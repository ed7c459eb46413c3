package io.trackline.systemtests;

import io.trackline.testsupport.TestInfra;
import java.util.Map;

/**
 * The packaged ingest-webhooks, normalizer and status-store as processes on the test JVM's broker and database,
 * started once for every system test of the JVM and stopped when it ends. A test may stop and start the consumers
 * ({@link #restartConsumers}) to prove what a restarted stack does with what waits on the topics.
 *
 * <p>Tracing is on in every service, exporting OTLP/HTTP to {@link #traces()}, a receiver in the test JVM
 * (docs/tracing.md): the system tests run the services as a deployment that traces would, and {@code TracingIT} reads
 * the spans.
 */
final class Pipeline {

    static final String ACCOUNT = "it";
    static final String SECRET = "system-test-secret-not-real";
    static final String API_KEY = "system-test-api-key-not-real";

    private static ServiceProcess store;
    private static ServiceProcess normalizer;
    private static ServiceProcess ingest;
    private static OtlpReceiver traces;

    private Pipeline() {}

    /** The spans every service of the pipeline exported. */
    static OtlpReceiver traces() {
        return traces;
    }

    /** {@code properties} and the settings that switch tracing on, exporting to {@link #traces()}. */
    private static Map<String, String> traced(Map<String, String> properties) {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put("quarkus.otel.sdk.disabled", "false");
        all.put("quarkus.otel.exporter.otlp.protocol", "http/protobuf");
        all.put("quarkus.otel.exporter.otlp.endpoint", traces.endpoint());
        all.put("quarkus.otel.bsp.schedule.delay", "200ms");
        return all;
    }

    static synchronized void start() throws Exception {
        if (ingest != null) {
            return;
        }
        traces = new OtlpReceiver();
        store = startStore();
        normalizer = startNormalizer();
        ingest = ServiceProcess.start(
                "ingest-webhooks",
                traced(Map.of(
                        "kafka.bootstrap.servers",
                        kafka(),
                        "trackline.webhooks.mrspeedy.accounts." + ACCOUNT + ".secret",
                        SECRET)));
        store.awaitReady();
        normalizer.awaitReady();
        ingest.awaitReady();
        Runtime.getRuntime().addShutdownHook(new Thread(Pipeline::stop, "system-tests-pipeline-stop"));
    }

    static ServiceProcess store() {
        return store;
    }

    static ServiceProcess normalizer() {
        return normalizer;
    }

    static ServiceProcess ingest() {
        return ingest;
    }

    /** Stops normalizer and status-store, runs {@code whileDown}, starts them again and waits until both are ready. */
    static synchronized void restartConsumers(ThrowingRunnable whileDown) throws Exception {
        normalizer.close();
        store.close();
        whileDown.run();
        store = startStore();
        normalizer = startNormalizer();
        store.awaitReady();
        normalizer.awaitReady();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static ServiceProcess startStore() throws Exception {
        TestInfra.Postgres pg = TestInfra.postgres();
        return ServiceProcess.start(
                "status-store",
                traced(Map.of(
                        "kafka.bootstrap.servers", kafka(),
                        "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                        "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                        "quarkus.datasource.username", pg.user(),
                        "quarkus.datasource.password", pg.password(),
                        "trackline.api.keys.system-tests", API_KEY)));
    }

    /** The normalizer's Kafka Streams state, one folder for the test JVM: a restart resumes from it. */
    private static java.nio.file.Path normalizerState;

    private static ServiceProcess startNormalizer() throws Exception {
        if (normalizerState == null) {
            normalizerState = java.nio.file.Files.createTempDirectory("trackline-system-tests-normalizer-");
        }
        return ServiceProcess.start(
                "normalizer",
                traced(Map.of(
                        "kafka.bootstrap.servers", kafka(), "kafka-streams.state.dir", normalizerState.toString())));
    }

    private static String kafka() {
        return TestInfra.kafka().bootstrapServers();
    }

    private static synchronized void stop() {
        for (ServiceProcess p : new ServiceProcess[] {ingest, normalizer, store}) {
            if (p != null) {
                try {
                    p.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (traces != null) {
            traces.close();
        }
    }
}
