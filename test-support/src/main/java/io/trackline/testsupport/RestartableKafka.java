package io.trackline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import io.trackline.infra.TopicLayout;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A real Kafka broker (KRaft, in the test JVM) of one test application, which a test may stop and start again on
 * the same port, cluster id and log folder: for "Kafka is down, then back" tests. Unlike {@link TestInfra#kafka()}
 * it is not shared, so stopping it disturbs no other test.
 *
 * <p>Use {@code @QuarkusTestResource(value = RestartableKafka.Resource.class, restrictToAnnotatedClass = true)} and
 * reach the broker with {@link #current()}.
 */
public final class RestartableKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RestartableKafka.class);
    private static RestartableKafka current;

    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final Path logs;
    private EmbeddedKafkaBroker broker;

    private RestartableKafka() {
        this.port = freePort();
        this.controllerPort = freePort();
        this.clusterId = UUID.randomUUID().toString();
        try {
            this.logs = Files.createTempDirectory("trackline-test-kafka-restartable");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a broker and creates Trackline's topics with {@link TestInfra#PARTITIONS} partitions. */
    public static synchronized RestartableKafka start() {
        RestartableKafka kafka = new RestartableKafka();
        kafka.startBroker();
        for (int attempt = 1; ; attempt++) {
            try {
                TopicLayout.ensure(kafka.bootstrapServers(), TestInfra.PARTITIONS, (short) 1);
                break;
            } catch (Exception e) {
                // On a loaded machine a create request can time out on the client yet succeed on the broker;
                // the next attempt lists the topics again and creates only what is still missing.
                if (attempt == 3) {
                    kafka.close();
                    throw new IllegalStateException("could not create Trackline's topics", e);
                }
                LOG.warnf("creating topics failed (%s); trying again", e.getMessage());
            }
        }
        current = kafka;
        return kafka;
    }

    /** The broker started last by {@link Resource}. */
    public static synchronized RestartableKafka current() {
        if (current == null) {
            throw new IllegalStateException("no RestartableKafka started (add its Resource to the test)");
        }
        return current;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public synchronized boolean isRunning() {
        return broker != null;
    }

    /** Stops the broker; clients see connection refused until {@link #restart()}. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
            LOG.infof("Kafka broker on port %d stopped", port);
        }
    }

    /** Starts the broker again with the same data: records stored before the stop are still there. */
    public synchronized void restart() {
        if (broker == null) {
            startBroker();
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private void startBroker() {
        broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withKafkaHost("localhost")
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withClusterId(clusterId)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(props -> {
                    props.put("log.dirs", logs.toString());
                    props.put("num.partitions", String.valueOf(TestInfra.PARTITIONS));
                    props.put("group.initial.rebalance.delay.ms", "0");
                    props.put("offsets.topic.num.partitions", "3");
                })
                .start();
        LOG.infof("Kafka broker in the test JVM at %s (restartable)", broker.getAdvertisedListeners());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Test resource: starts a {@link RestartableKafka} for the application and stops it afterwards. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        private RestartableKafka kafka;

        @Override
        public Map<String, String> start() {
            kafka = RestartableKafka.start();
            return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
        }

        @Override
        public void stop() {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
