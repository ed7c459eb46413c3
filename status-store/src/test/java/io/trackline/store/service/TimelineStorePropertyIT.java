package io.trackline.store.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.Location;
import io.trackline.events.Source;
import io.trackline.store.repository.TimelineRepository;
import io.trackline.testsupport.TestInfra;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated canonical events with extreme values (times at and beyond what timestamptz and the normalizer hold,
 * strings with NUL, lone surrogates, emoji, control characters, thousands of characters, nulls where allowed)
 * through status-store's write path ({@link TimelineStore} on {@link TimelineWriter}) against the real PostgreSQL,
 * in a database of its own: every event is either stored, exactly, or set aside with a reason; nothing escapes as an
 * exception; every event an independent oracle calls storable is stored.
 */
class TimelineStorePropertyIT {

    static final List<String> CHECK_CODES = List.of(
            UnstorableEventException.UNREADABLE,
            UnstorableEventException.TOO_LARGE,
            UnstorableEventException.EVENT_TIME_OUT_OF_RANGE,
            UnstorableEventException.INVALID_TEXT);
    static final List<String> DATABASE_CODES =
            List.of(UnstorableEventException.REJECTED_BY_DATABASE, UnstorableEventException.UNPROCESSABLE);

    static Vertx vertx;
    static Pool pool;
    static TimelineStore store;
    static String jdbcUrl;
    static String user;
    static String password;
    static String database;
    static String adminUrl;
    static Connection jdbc;

    @BeforeContainer
    static void database() throws Exception {
        TestInfra.Postgres pg = TestInfra.postgres();
        database = "trackline_prop_" + System.currentTimeMillis() + "_"
                + ProcessHandle.current().pid();
        user = pg.user();
        password = pg.password();
        adminUrl = pg.jdbcUrl();
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        jdbcUrl = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + database;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                Statement s = c.createStatement()) {
            for (Path migration : migrations()) {
                s.execute(Files.readString(migration));
            }
        }
        vertx = Vertx.vertx();
        pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2))
                .connectingTo(new PgConnectOptions()
                        .setHost(pg.host())
                        .setPort(pg.port())
                        .setDatabase(database)
                        .setUser(user)
                        .setPassword(password)
                        .setCachePreparedStatements(true))
                .using(vertx)
                .build();
        store = new TimelineStore(
                new TimelineWriter(new TimelineRepository(pool)),
                Duration.ofMillis(50),
                Duration.ofMillis(500),
                new SimpleMeterRegistry());
        jdbc = DriverManager.getConnection(jdbcUrl, user, password);
    }

    @AfterContainer
    static void dropDatabase() throws Exception {
        if (jdbc != null) {
            jdbc.close();
        }
        if (pool != null) {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    static List<Path> migrations() throws URISyntaxException {
        Path dir = Path.of(
                TimelineStorePropertyIT.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b)))
                    .toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    // --- the properties ------------------------------------------------------------------------------------

    /**
     * With the checks: storable events are stored exactly, the others set aside before the database. Each try writes
     * two batches, so that late events make the writer decide statuses again from the stored timelines.
     */
    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void everyEventIsStoredOrSetAsideWithAReason(
            @ForAll("batches") List<Spec> specs, @ForAll @IntRange(min = 0, max = 12) int split) throws Exception {
        List<CanonicalEvent> events = materialize(specs, false);
        int first = Math.min(split, events.size());
        Map<Integer, UnstorableEventException> rejected = new HashMap<>(
                rejectedByIndex(store.store(events.subList(0, first)).await().atMost(Duration.ofSeconds(60)), 0));
        rejected.putAll(rejectedByIndex(
                store.store(events.subList(first, events.size())).await().atMost(Duration.ofSeconds(60)), first));

        Map<String, Stored> rows = stored(events);
        for (int i = 0; i < events.size(); i++) {
            CanonicalEvent e = events.get(i);
            if (Oracle.storable(e)) {
                assertThat(rejected).as("storable event %d set aside", i).doesNotContainKey(i);
                Stored row = rows.get(e.eventId());
                assertThat(row).as("storable event %d stored", i).isNotNull();
                assertThat(row.rawText()).isEqualTo(e.rawText());
                assertThat(row.reference()).isEqualTo(e.reference());
                assertThat(ChronoUnit.MICROS.between(e.occurredAt().toInstant(), row.occurredAt()))
                        .isBetween(-1L, 1L);
                assertThat(shipmentExists(e.shipmentId())).isTrue();
            } else {
                assertThat(rejected).as("unstorable event %d set aside", i).containsKey(i);
                UnstorableEventException why = rejected.get(i);
                assertThat(why.code()).isIn(CHECK_CODES); // found before the database
                assertThat(why.getMessage()).isNotBlank();
            }
        }
    }

    /**
     * Without the checks, the database's refusal is the safety net: still nothing escapes, every storable event is
     * stored, and what is set aside has the database's (or the Java code's) reason.
     */
    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void withoutTheChecksTheDatabaseRefusalStillSetsAsideOnlyTheCulprits(@ForAll("batches") List<Spec> specs)
            throws Exception {
        List<CanonicalEvent> events = materialize(specs, true);
        TimelineStore.Outcome outcome = store.store(events, false).await().atMost(Duration.ofSeconds(60));

        Map<Integer, UnstorableEventException> rejected = rejectedByIndex(outcome, 0);
        rejected.values().forEach(why -> {
            assertThat(why.code()).isIn(DATABASE_CODES);
            assertThat(why.getMessage()).isNotBlank();
        });
        Map<String, Stored> rows = stored(events);
        for (int i = 0; i < events.size(); i++) {
            CanonicalEvent e = events.get(i);
            if (Oracle.storable(e)) {
                assertThat(rejected)
                        .as("storable event %d set aside: %s", i, rejected.get(i))
                        .doesNotContainKey(i);
                assertThat(rows).containsKey(e.eventId());
            }
        }
    }

    /**
     * A late event makes the writer read its shipment's stored timeline, ETAs as text. An ETA whose offset
     * PostgreSQL cannot read (+17:00; Java allows up to 18 hours) would make every later, older event of that
     * shipment fail: it is set aside up front instead, and the late event is stored.
     */
    @Example
    void anEtaPostgresqlCannotReadBackIsSetAsideBeforeItCanBreakALaterReplay() throws Exception {
        String run = "eta-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime t0 = OffsetDateTime.parse("2026-11-20T08:00:00+07:00");
        CanonicalEvent latest = CanonicalEvent.builder()
                .eventId(run + "-latest")
                .shipmentId("prop:" + run)
                .carrier(Carrier.ALL24)
                .account("acme")
                .reference(run)
                .status(CanonicalStatus.IN_TRANSIT)
                .occurredAt(t0.plusHours(2))
                .rawCode("300000")
                .rawText("in transit")
                .source(Source.POLL)
                .eta(OffsetDateTime.parse("2026-11-22T12:00:00+17:00"))
                .mappingVersion("prop-1")
                .build();
        CanonicalEvent good = latest.toBuilder()
                .eventId(run + "-good")
                .occurredAt(t0.plusHours(1))
                .rawText("x")
                .eta(OffsetDateTime.parse("2026-11-22T12:00:00+14:00"))
                .build();
        CanonicalEvent late = latest.toBuilder()
                .eventId(run + "-late")
                .status(CanonicalStatus.PICKED_UP)
                .occurredAt(t0)
                .rawCode("200000")
                .rawText("picked up")
                .eta(null)
                .build();
        String mode = System.getProperty("trackline.prop.eta-mode", "checked");

        TimelineStore.Outcome first = store.store(List.of(good, latest), !"unchecked".equals(mode))
                .await()
                .atMost(Duration.ofSeconds(30));
        TimelineStore.Outcome second = store.store(List.of(late)).await().atMost(Duration.ofSeconds(30));

        if ("unchecked".equals(mode)) { // what the rule prevents (run by hand: -Dtrackline.prop.eta-mode=unchecked)
            assertThat(second.rejected())
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason().getMessage()).contains("SQLSTATE 22"));
            return;
        }
        assertThat(first.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isEqualTo(1);
            assertThat(r.reason().code()).isEqualTo(UnstorableEventException.EVENT_TIME_OUT_OF_RANGE);
            assertThat(r.reason().getMessage()).contains("eta with the offset +17:00");
        });
        assertThat(second.rejected()).isEmpty();
        assertThat(second.written().replayed()).isEqualTo(1);
        assertThat(stored(List.of(good, late))).containsOnlyKeys(good.eventId(), late.eventId());
    }

    /**
     * A late event makes the writer replay the stored timeline: each stored event's {@code reversal} is read back from
     * its JSON, and an event stored before events carried it is decided from its status as before (a 247Express
     * return is a reversal, an all24 one is not).
     */
    @Example
    void aReplayReadsEachStoredEventsReversalOrDecidesItFromTheStatus() throws Exception {
        String run = "rev-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, CanonicalStatus> expected = new LinkedHashMap<>();
        List<CanonicalEvent> first = new ArrayList<>();
        List<CanonicalEvent> late = new ArrayList<>();
        record Case(String name, Carrier carrier, Boolean reversal, CanonicalStatus status) {}
        for (Case c : List.of(
                new Case("flagged", Carrier.ALL24, true, CanonicalStatus.RETURNING),
                new Case("unflagged", Carrier.EXPRESS247, false, CanonicalStatus.DELIVERED),
                new Case("old247", Carrier.EXPRESS247, null, CanonicalStatus.RETURNING),
                new Case("oldAll24", Carrier.ALL24, null, CanonicalStatus.DELIVERED))) {
            CanonicalEvent delivered = TestEvents.valid(run + c.name()).toBuilder()
                    .carrier(c.carrier())
                    .shipmentId("prop:" + run + ":" + c.name())
                    .status(CanonicalStatus.DELIVERED)
                    .occurredAt(TestEvents.T0.plusHours(2))
                    .build();
            first.add(delivered);
            first.add(delivered.toBuilder()
                    .eventId(delivered.eventId() + "-return")
                    .status(CanonicalStatus.RETURNING)
                    .occurredAt(TestEvents.T0.plusHours(3))
                    .reversal(c.reversal())
                    .build());
            late.add(delivered.toBuilder()
                    .eventId(delivered.eventId() + "-late")
                    .occurredAt(TestEvents.T0)
                    .build());
            expected.put(delivered.shipmentId(), c.status());
        }
        TimelineStore.Outcome written = store.store(first).await().atMost(Duration.ofSeconds(30));
        assertThat(written.rejected()).isEmpty();
        assertThat(statuses(expected.keySet())).as("applied in order").isEqualTo(expected);

        TimelineStore.Outcome replayed = store.store(late).await().atMost(Duration.ofSeconds(30));
        assertThat(replayed.written().replayed()).isEqualTo(4);
        assertThat(statuses(expected.keySet()))
                .as("replayed from the stored timelines")
                .isEqualTo(expected);
    }

    static Map<String, CanonicalStatus> statuses(Collection<String> shipments) throws Exception {
        Map<String, CanonicalStatus> statuses = new LinkedHashMap<>();
        try (PreparedStatement q = jdbc.prepareStatement("SELECT status FROM shipment WHERE id = ?")) {
            for (String id : shipments) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    statuses.put(id, r.next() ? CanonicalStatus.valueOf(r.getString(1)) : null);
                }
            }
        }
        return statuses;
    }

    static Map<Integer, UnstorableEventException> rejectedByIndex(TimelineStore.Outcome outcome, int offset) {
        Map<Integer, UnstorableEventException> byIndex = new HashMap<>();
        outcome.rejected()
                .forEach(r ->
                        assertThat(byIndex.put(offset + r.index(), r.reason())).isNull());
        return byIndex;
    }

    record Stored(String rawText, String reference, Instant occurredAt) {}

    /** The rows of the storable events (the others' ids may hold NUL, which no query can carry). */
    static Map<String, Stored> stored(List<CanonicalEvent> events) throws Exception {
        String[] ids = events.stream()
                .filter(Oracle::queryable)
                .map(CanonicalEvent::eventId)
                .toArray(String[]::new);
        Map<String, Stored> rows = new HashMap<>();
        try (PreparedStatement s = jdbc.prepareStatement("SELECT event_id, event_json ->> 'rawText', "
                + "event_json ->> 'reference', occurred_at FROM timeline_event WHERE event_id = ANY(?)")) {
            s.setArray(1, jdbc.createArrayOf("text", ids));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(
                            r.getString(1),
                            new Stored(
                                    r.getString(2),
                                    r.getString(3),
                                    r.getObject(4, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return rows;
    }

    static boolean shipmentExists(String id) throws Exception {
        try (PreparedStatement s = jdbc.prepareStatement("SELECT count(*) FROM shipment WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) == 1;
            }
        }
    }

    // --- an independent reading of what PostgreSQL and the stored JSON can hold -----------------------------

    static final class Oracle {

        static boolean storable(CanonicalEvent e) {
            return e.status() != null
                    && e.occurredAt() != null
                    && year(e.occurredAt())
                    && year(e.eta())
                    && identifier(e.eventId())
                    && identifier(e.shipmentId())
                    && identifier(e.account())
                    && identifier(e.reference())
                    && Stream.of(e.rawCode(), e.rawText(), e.rawTime(), e.mappingVersion(), e.rawField())
                            .allMatch(Oracle::text)
                    && (e.references() == null
                            || e.references().entrySet().stream().allMatch(r -> text(r.getKey()) && text(r.getValue())))
                    && (e.location() == null
                            || Stream.of(
                                            e.location().name(),
                                            e.location().area(),
                                            e.location().postcode(),
                                            e.location().address(),
                                            e.location().latitude(),
                                            e.location().longitude())
                                    .allMatch(Oracle::text));
        }

        static boolean queryable(CanonicalEvent e) {
            return identifier(e.eventId());
        }

        /** Four-digit years and offsets that PostgreSQL reads back from the JSON text (its limit is 15:59:59). */
        static boolean year(OffsetDateTime t) {
            return t == null
                    || (t.getYear() >= 1
                            && t.getYear() <= 9999
                            && Math.abs(t.getOffset().getTotalSeconds()) < 16 * 3600);
        }

        static boolean text(String s) {
            return s == null
                    || (s.indexOf('\0') < 0
                            && StandardCharsets.UTF_8.newEncoder().canEncode(s));
        }

        static boolean identifier(String s) {
            return text(s)
                    && s.getBytes(StandardCharsets.UTF_8).length <= 512
                    && s.chars().noneMatch(ch -> ch < 0x20 || (ch >= 0x7f && ch <= 0x9f));
        }
    }

    // --- generators ------------------------------------------------------------------------------------------

    /** One generated event, before it gets the ids of its try. */
    record Spec(
            int shipment,
            String idSuffix,
            String account,
            String reference,
            CanonicalStatus status,
            CanonicalReason reason,
            OffsetDateTime occurredAt,
            OffsetDateTime eta,
            String rawText,
            String rawCode,
            Location location,
            Map<String, String> references,
            Carrier carrier,
            Source source) {}

    /** Shipment and event ids unique to the try; with {@code ownShipments} every event has a shipment of its own. */
    static List<CanonicalEvent> materialize(List<Spec> specs, boolean ownShipments) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            String shipment = "prop:" + run + ":" + (ownShipments ? i : s.shipment()) + s.idSuffix();
            events.add(CanonicalEvent.builder()
                    .eventId(run + "-" + i + s.idSuffix())
                    .shipmentId(shipment)
                    .carrier(s.carrier())
                    .account(s.account())
                    .reference(s.reference())
                    .references(s.references())
                    .status(s.status())
                    .reason(s.reason())
                    .occurredAt(s.occurredAt())
                    .location(s.location())
                    .rawCode(s.rawCode())
                    .rawText(s.rawText())
                    .rawTime(s.occurredAt() == null ? null : "as sent")
                    .source(s.source())
                    .eta(s.eta())
                    .mappingVersion("prop-1")
                    .build());
        }
        return events;
    }

    @Provide
    Arbitrary<List<Spec>> batches() {
        Arbitrary<Spec> spec = Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(12, Arbitraries.just("")), net.jqwik.api.Tuple.of(1, text())),
                        identifierText(),
                        identifierText(),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(30, Arbitraries.of(CanonicalStatus.class)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just((CanonicalStatus) null))),
                        Arbitraries.of(CanonicalReason.class).injectNull(0.7),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(30, time()),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just((OffsetDateTime) null))),
                        time().injectNull(0.6))
                .as((shipment, idSuffix, account, reference, status, reason, at, eta) -> new Spec(
                        shipment, idSuffix, account, reference, status, reason, at, eta, null, null, null, null, null,
                        null))
                .flatMap(partial -> Combinators.combine(
                                text().injectNull(0.2),
                                text().injectNull(0.3),
                                location(),
                                references(),
                                Arbitraries.of(Carrier.class),
                                Arbitraries.of(Source.class).injectNull(0.2))
                        .as((rawText, rawCode, location, refs, carrier, source) -> new Spec(
                                partial.shipment(),
                                partial.idSuffix(),
                                partial.account(),
                                partial.reference(),
                                partial.status(),
                                partial.reason(),
                                partial.occurredAt(),
                                partial.eta(),
                                rawText,
                                rawCode,
                                location,
                                refs,
                                carrier,
                                source)));
        return spec.list().ofMinSize(1).ofMaxSize(12);
    }

    /** Text of every kind: ordinary, any UTF-16 unit (NUL and lone surrogates included), emoji, very long. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        8,
                        Arbitraries.strings()
                                .alpha()
                                .numeric()
                                .withChars(" -_/:.")
                                .ofMaxLength(40)),
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().all().ofMaxLength(30)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.strings()
                                .withChars("ส่งแล้ว é€\u2028\uFFFF\uFFFD\t\n")
                                .ofMaxLength(30)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.of("📦", "🚚", "👍🏽", "🇹🇭", "👨‍👩‍👧", "a")
                                .list()
                                .ofMaxSize(8)
                                .map(parts -> String.join("", parts))),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.of(
                                "",
                                " ",
                                "\u0000",
                                "a\u0000b",
                                "\ud800",
                                "x\udc00",
                                "\udbff\udfff",
                                "\ud83d\udce6",
                                "\u0001\u001f\u007f",
                                "\\u0000",
                                "\"quoted\"",
                                "null")),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .ofMinLength(5_000)
                                .ofMaxLength(20_000)));
    }

    /** Identifiers: mostly ordinary, sometimes anything, sometimes around the 512-byte limit. */
    static Arbitrary<String> identifierText() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        10,
                        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20)),
                net.jqwik.api.Tuple.of(2, text()),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.integers().between(500, 530).map("R"::repeat)),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.integers().between(165, 175).map("ก"::repeat)));
    }

    /** Times: ordinary ones, the edges of 0001–9999 and of timestamptz, and anywhere in years ±300,000. */
    static Arbitrary<OffsetDateTime> time() {
        Arbitrary<ZoneOffset> offsets = Arbitraries.integers()
                .between(-18 * 4, 18 * 4)
                .map(quarters -> ZoneOffset.ofTotalSeconds(quarters * 15 * 60));
        Arbitrary<OffsetDateTime> ordinary = Combinators.combine(
                        Arbitraries.longs().between(-5L * 365 * 86_400, 2L * 365 * 86_400), offsets)
                .as((seconds, offset) -> OffsetDateTime.parse("2026-11-20T08:00:00+07:00")
                        .plusSeconds(seconds)
                        .withOffsetSameInstant(offset));
        Arbitrary<OffsetDateTime> edges = Arbitraries.of(
                        "0001-01-01T00:00:00Z",
                        "0001-01-01T00:00:00+18:00",
                        "0000-12-31T23:59:59.999999Z",
                        "0000-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999999Z",
                        "9999-12-31T23:59:59-18:00",
                        "+10000-01-01T00:00:00Z",
                        "-4713-11-24T00:00:00Z",
                        "-4713-11-23T23:59:59Z",
                        "-4714-01-01T00:00:00Z",
                        "+294276-12-31T23:59:59.999999Z",
                        "+294277-01-01T00:00:00Z",
                        "+999999999-12-31T23:59:59Z",
                        "-999999999-01-01T00:00:00Z",
                        "1970-01-01T00:00:00Z",
                        "1969-12-31T23:59:59.999999999Z",
                        "2000-01-01T00:00:00Z",
                        "2038-01-19T03:14:08Z")
                .map(OffsetDateTime::parse);
        Arbitrary<OffsetDateTime> anywhere = Combinators.combine(
                        Arbitraries.integers().between(-300_000, 300_000),
                        Arbitraries.integers().between(1, 365),
                        Arbitraries.integers().between(0, 86_399),
                        offsets)
                .as((year, day, second, offset) -> OffsetDateTime.of(
                        LocalDateTime.of(year, 1, 1, 0, 0).plusDays(day - 1).plusSeconds(second), offset));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, ordinary),
                net.jqwik.api.Tuple.of(3, edges),
                net.jqwik.api.Tuple.of(2, anywhere));
    }

    static Arbitrary<Location> location() {
        return Combinators.combine(
                        text().injectNull(0.5),
                        text().injectNull(0.5),
                        text().injectNull(0.7),
                        text().injectNull(0.5),
                        text().injectNull(0.8),
                        text().injectNull(0.8))
                .as(Location::new)
                .injectNull(0.4);
    }

    static Arbitrary<Map<String, String>> references() {
        Arbitrary<String> keys = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.of("trackingNumber", "orderId", "orderName")),
                net.jqwik.api.Tuple.of(1, text()));
        return Arbitraries.maps(keys, text().injectNull(0.1)).ofMaxSize(3).injectNull(0.3);
    }
}
