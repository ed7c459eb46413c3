package io.trackline.testsupport;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import io.trackline.infra.LocalPostgres;
import io.trackline.infra.TopicLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real Kafka broker and PostgreSQL server of one test JVM, started once and shared by every test class.
 *
 * <p>Where a Docker engine answers, both come from Testcontainers ({@code apache/kafka}, {@code postgres}).
 * Without Docker, the Kafka broker runs in this JVM (Apache Kafka in KRaft mode) and PostgreSQL is the server on
 * {@code TRACKLINE_TEST_PG_HOST:TRACKLINE_TEST_PG_PORT} (default 127.0.0.1:5432) or, when none answers, an
 * embedded PostgreSQL started from Maven artifacts. On a shared server every test JVM gets a database of its own
 * ({@code trackline_test_<time>_<pid>}), dropped when the JVM ends, so no run sees the schema of another.
 * {@code TRACKLINE_TEST_INFRA=local|containers} forces one way.
 */
public final class TestInfra {

    private static final Logger LOG = Logger.getLogger(TestInfra.class);
    public static final int PARTITIONS = 3;
    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    static final String POSTGRES_IMAGE = "postgres:15-alpine";
    static final String TEST_DATABASE = "trackline_test";
    private static final String SHARED_KAFKA = "trackline.test.shared-kafka";
    private static final String SHARED_POSTGRES = "trackline.test.shared-postgres";

    private static Kafka kafka;
    private static Postgres postgres;
    private static Boolean containers;

    private TestInfra() {}

    /** Where tests reach PostgreSQL. */
    public record Postgres(String host, int port, String database, String user, String password, Runnable stop) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ':' + port + '/' + database;
        }

        public String reactiveUrl() {
            return "postgresql://" + host + ':' + port + '/' + database;
        }
    }

    /** Where tests reach Kafka. */
    public record Kafka(String bootstrapServers, Runnable stop) {}

    public static synchronized Kafka kafka() {
        if (kafka == null) {
            // Quarkus loads this class anew for every test profile; the broker belongs to the JVM, not to a class
            // loader.
            String shared = System.getProperty(SHARED_KAFKA);
            if (shared != null) {
                kafka = new Kafka(shared, () -> {});
                return kafka;
            }
            kafka = useContainers() ? containerKafka() : embeddedKafka();
            System.setProperty(SHARED_KAFKA, kafka.bootstrapServers());
            try {
                TopicLayout.ensure(kafka.bootstrapServers(), PARTITIONS, (short) 1);
            } catch (Exception e) {
                throw new IllegalStateException("could not create Trackline's topics", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(kafka.stop(), "test-kafka-stop"));
        }
        return kafka;
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            String shared = System.getProperty(SHARED_POSTGRES);
            if (shared != null) {
                String[] p = shared.split("\n", -1);
                postgres = new Postgres(p[0], Integer.parseInt(p[1]), p[2], p[3], p[4], () -> {});
                return postgres;
            }
            postgres = useContainers() ? containerPostgres() : localPostgres();
            System.setProperty(
                    SHARED_POSTGRES,
                    String.join(
                            "\n",
                            postgres.host(),
                            String.valueOf(postgres.port()),
                            postgres.database(),
                            postgres.user(),
                            postgres.password()));
            Runtime.getRuntime().addShutdownHook(new Thread(postgres.stop(), "test-postgres-stop"));
        }
        return postgres;
    }

    static synchronized boolean useContainers() {
        if (containers == null) {
            String mode = env("TRACKLINE_TEST_INFRA").orElse("auto").toLowerCase(Locale.ROOT);
            containers = switch (mode) {
                case "containers" -> true;
                case "local" -> false;
                default -> dockerLikely() && dockerAvailable();
            };
            LOG.infof("test infrastructure: %s", containers ? "Testcontainers" : "local Kafka and PostgreSQL");
        }
        return containers;
    }

    private static Kafka embeddedKafka() {
        Path logs = tempDir("trackline-test-kafka");
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(props -> {
                    props.put("log.dirs", logs.toString());
                    props.put("num.partitions", String.valueOf(PARTITIONS));
                    props.put("group.initial.rebalance.delay.ms", "0");
                    props.put("offsets.topic.num.partitions", "3");
                })
                .start();
        LOG.infof("Kafka broker in the test JVM at %s", broker.getAdvertisedListeners());
        return new Kafka(broker.getAdvertisedListeners(), broker::close);
    }

    private static Kafka containerKafka() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        return new Kafka(container.getBootstrapServers(), container::stop);
    }

    private static Postgres containerPostgres() {
        PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName(TEST_DATABASE);
        container.start();
        return new Postgres(
                container.getHost(),
                container.getMappedPort(5432),
                TEST_DATABASE,
                container.getUsername(),
                container.getPassword(),
                container::stop);
    }

    private static Postgres localPostgres() {
        String host = env("TRACKLINE_TEST_PG_HOST").orElse("127.0.0.1");
        int port = Integer.parseInt(env("TRACKLINE_TEST_PG_PORT").orElse("5432"));
        String user = env("TRACKLINE_TEST_PG_USER").orElse("postgres");
        String password = env("TRACKLINE_TEST_PG_PASSWORD").orElse("");
        boolean embeddedOnly =
                "embedded".equalsIgnoreCase(env("TRACKLINE_TEST_PG").orElse(""));
        if (!embeddedOnly && LocalPostgres.answers(host, port, 1000)) {
            String database = TEST_DATABASE
                    + '_'
                    + System.currentTimeMillis()
                    + '_'
                    + ProcessHandle.current().pid();
            try {
                LocalPostgres.ensureDatabase(host, port, user, password, database);
                LOG.infof("PostgreSQL at %s:%d, database %s", host, port, database);
                return new Postgres(host, port, database, user, password, () -> {
                    try {
                        LocalPostgres.dropDatabase(host, port, user, password, database);
                    } catch (Exception e) {
                        LOG.warnf("could not drop test database %s: %s", database, e.getMessage());
                    }
                });
            } catch (Exception e) {
                LOG.warnf(
                        "PostgreSQL at %s:%d is not usable (%s); starting an embedded one", host, port, e.getMessage());
            }
        }
        return startEmbeddedPostgres();
    }

    /** A PostgreSQL server of this test's own, which the test may stop and restart (see {@link EmbeddedServer}). */
    public static EmbeddedServer startOwnPostgres() {
        return EmbeddedServer.start();
    }

    private static Postgres startEmbeddedPostgres() {
        EmbeddedServer server = EmbeddedServer.start();
        try {
            LocalPostgres.ensureDatabase("127.0.0.1", server.port(), "postgres", "", TEST_DATABASE);
        } catch (Exception e) {
            throw new IllegalStateException("embedded PostgreSQL did not take a database", e);
        }
        LOG.infof("embedded PostgreSQL on 127.0.0.1:%d", server.port());
        return new Postgres("127.0.0.1", server.port(), TEST_DATABASE, "postgres", "", server::close);
    }

    /** An embedded PostgreSQL with a fixed port and data folder, so it can be stopped and started again. */
    public static final class EmbeddedServer implements AutoCloseable {
        private final Path data;
        private final int port;
        private LocalPostgres running;

        private EmbeddedServer(Path data, int port, LocalPostgres running) {
            this.data = data;
            this.port = port;
            this.running = running;
        }

        static EmbeddedServer start() {
            Path data = tempDir("trackline-test-pg");
            try {
                LocalPostgres first = LocalPostgres.start(0, data);
                return new EmbeddedServer(data, first.port(), first);
            } catch (IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not start", e);
            }
        }

        public int port() {
            return port;
        }

        public synchronized void stop() {
            if (running != null) {
                try {
                    running.close();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                running = null;
            }
        }

        public synchronized void restart() {
            stop();
            try {
                running = LocalPostgres.start(port, data);
            } catch (IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not restart", e);
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    private static boolean dockerLikely() {
        return env("DOCKER_HOST").isPresent()
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name))
                .or(() -> Optional.ofNullable(System.getProperty(name)))
                .filter(v -> !v.isBlank());
    }
}
