package io.trackline.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Command line used by {@code ./trackline}:
 * <pre>
 *   postgres --port 5432 --data .trackline/data/postgres     run an embedded PostgreSQL until stopped
 *   ensure-database --host 127.0.0.1 --port 5432 --user postgres --database trackline
 *   answers --host 127.0.0.1 --port 5432                    exit 0 when the port accepts connections
 *   create-topics --bootstrap localhost:9092 --partitions 6   create Trackline's topics that are missing
 * </pre>
 * The Kafka broker is started by the launcher directly from this module's classpath ({@code kafka.Kafka}).
 */
public final class LocalInfra {

    private LocalInfra() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "postgres" -> runPostgres(options);
            case "ensure-database" -> {
                LocalPostgres.ensureDatabase(
                        options.getOrDefault("host", "127.0.0.1"),
                        Integer.parseInt(options.getOrDefault("port", "5432")),
                        options.getOrDefault("user", "postgres"),
                        options.getOrDefault("password", System.getenv().getOrDefault("PGPASSWORD", "")),
                        options.getOrDefault("database", "trackline"));
                System.out.println("database " + options.getOrDefault("database", "trackline") + " ready");
            }
            case "answers" ->
                System.exit(
                        LocalPostgres.answers(
                                        options.getOrDefault("host", "127.0.0.1"),
                                        Integer.parseInt(options.getOrDefault("port", "5432")),
                                        1000)
                                ? 0
                                : 1);
            case "create-topics" -> {
                var created = TopicLayout.ensure(
                        options.getOrDefault("bootstrap", "localhost:9092"),
                        Integer.parseInt(options.getOrDefault("partitions", "6")),
                        Short.parseShort(options.getOrDefault("replication", "1")));
                System.out.println(created.isEmpty() ? "topics ready" : "created topics " + created);
            }
            default -> usage();
        }
    }

    private static void runPostgres(Map<String, String> options) throws Exception {
        int port = Integer.parseInt(options.getOrDefault("port", "5432"));
        Path data = Path.of(options.getOrDefault("data", ".trackline/data/postgres"))
                .toAbsolutePath();
        Files.createDirectories(data);
        LocalPostgres postgres = LocalPostgres.start(port, data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                postgres.close();
                            } catch (Exception e) {
                                System.err.println("stopping PostgreSQL failed: " + e.getMessage());
                            }
                            stopped.countDown();
                        },
                        "postgres-shutdown"));
        System.out.println("PostgreSQL listening on 127.0.0.1:" + postgres.port() + ", data in " + data);
        stopped.await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static void usage() {
        System.err.println(
                "usage: LocalInfra postgres|ensure-database|answers|create-topics [--host H] [--port P] [--data DIR]"
                        + " [--user U] [--database NAME] [--bootstrap B] [--partitions N]");
        System.exit(2);
    }
}
