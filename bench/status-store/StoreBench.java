import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.EventIds;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Source;
import io.trackline.store.repository.TimelineRepository;
import io.trackline.store.service.TimelineWriter;
import io.trackline.store.service.WriteResult;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * status-store's write path on a real PostgreSQL: the consumer's batched transaction next to one transaction per
 * event, same process, same database, same writer (bench/status-store/run.sh sets it up and tears it down).
 * Usage: StoreBench host port database batchedEvents naiveEvents batchSize
 */
public class StoreBench {

    static final CanonicalStatus[] LIFE = {
        CanonicalStatus.INFO_RECEIVED,
        CanonicalStatus.PICKED_UP,
        CanonicalStatus.IN_TRANSIT,
        CanonicalStatus.OUT_FOR_DELIVERY,
        CanonicalStatus.DELIVERED
    };
    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T08:00:00+07:00");

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String database = args[2];
        int batchedEvents = Integer.parseInt(args[3]);
        int naiveEvents = Integer.parseInt(args[4]);
        int batchSize = Integer.parseInt(args[5]);

        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + host + ":" + port + "/" + database, "postgres", "");
                Statement s = c.createStatement()) {
            for (String migration : List.of("V1__shipments_and_timeline.sql", "V2__status_and_latest_event.sql")) {
                s.execute(Files.readString(Path.of("status-store/src/main/resources/db/migration", migration)));
            }
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(new PgConnectOptions()
                        .setHost(host)
                        .setPort(port)
                        .setDatabase(database)
                        .setUser("postgres")
                        .setCachePreparedStatements(true))
                .using(vertx)
                .build();
        TimelineWriter writer = new TimelineWriter(new TimelineRepository(pool));
        try {
            // warm-up of both paths (JIT, prepared statements), on shipments of their own, not counted
            run(writer, stream("warm", 5_000, new Random(1)), batchSize);
            run(writer, stream("warm1", 1_000, new Random(2)), 1);

            List<CanonicalEvent> batched = stream("batch", batchedEvents, new Random(3));
            List<CanonicalEvent> naive = stream("naive", naiveEvents, new Random(4));
            double naiveRate = run(writer, naive, 1);
            double batchedRate = run(writer, batched, batchSize);
            System.out.printf(
                    "RESULT path=naive events=%d tx=%d events_per_s=%.0f%n", naive.size(), naive.size(), naiveRate);
            System.out.printf(
                    "RESULT path=batched events=%d tx=%d batch=%d events_per_s=%.0f%n",
                    batched.size(), (batched.size() + batchSize - 1) / batchSize, batchSize, batchedRate);
            System.out.printf("RESULT ratio=%.1f%n", batchedRate / naiveRate);
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://" + host + ":" + port + "/" + database, "postgres", "");
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM timeline_event),"
                            + " (SELECT count(*) FROM shipment), (SELECT count(*) FROM shipment WHERE status = "
                            + "'DELIVERED')")) {
                r.next();
                System.out.printf(
                        "CHECK timeline_events=%d shipments=%d delivered=%d%n",
                        r.getLong(1), r.getLong(2), r.getLong(3));
            }
        } finally {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
    }

    /**
     * Shipments of five events each, interleaved as on a busy partition (round by round); 2 % of the events arrive
     * one round late and 1 % are redelivered, as after a consumer restart.
     */
    static List<CanonicalEvent> stream(String prefix, int events, Random random) {
        int shipments = Math.max(1, events / LIFE.length);
        List<CanonicalEvent> out = new ArrayList<>(events + events / 50);
        for (int round = 0; round < LIFE.length; round++) {
            for (int s = 0; s < shipments; s++) {
                String reference = prefix + s;
                String id = ShipmentIds.of(Carrier.ALL24, "bench", reference);
                OffsetDateTime at = T0.plusMinutes(round * 30L + s % 30);
                String code = LIFE[round].name();
                out.add(CanonicalEvent.builder()
                        .eventId(EventIds.of(id, code, at))
                        .shipmentId(id)
                        .carrier(Carrier.ALL24)
                        .account("bench")
                        .reference(reference)
                        .references(Map.of("trackingNumber", reference))
                        .status(LIFE[round])
                        .occurredAt(at)
                        .rawCode(code)
                        .rawText(code)
                        .source(Source.POLL)
                        .mappingVersion("all24-1")
                        .build());
            }
        }
        for (int i = shipments; i < out.size(); i++) {
            if (random.nextInt(100) < 2) {
                Collections.swap(out, i, i - shipments);
            }
        }
        int redeliveries = out.size() / 100;
        for (int i = 0; i < redeliveries; i++) {
            int at = random.nextInt(out.size());
            out.add(Math.min(out.size(), at + 1 + random.nextInt(2 * shipments)), out.get(at));
        }
        return out;
    }

    /** Writes the stream as the consumer does, one transaction after the other; returns events per second. */
    static double run(TimelineWriter writer, List<CanonicalEvent> events, int batchSize) {
        long start = System.nanoTime();
        int stored = 0;
        for (int i = 0; i < events.size(); i += batchSize) {
            WriteResult result = writer.write(events.subList(i, Math.min(events.size(), i + batchSize)))
                    .await()
                    .indefinitely();
            stored += result.stored();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "path=%s events=%d stored=%d seconds=%.2f%n",
                batchSize == 1 ? "naive" : "batched", events.size(), stored, seconds);
        return events.size() / seconds;
    }
}
