package io.trackline.store.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.trackline.events.CanonicalEvent;
import io.trackline.store.config.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stores a consumed batch so that no record in it can stop the ones after it, and nothing is lost while the database
 * is away:
 * <ol>
 * <li>each event is checked first ({@link EventChecks}); what fails is set aside with its reason;</li>
 * <li>the rest is written in <b>one transaction</b> ({@link TimelineWriter}), the normal case;</li>
 * <li>a write that fails for a transient reason ({@link WriteFailures}: the database unreachable or busy) is retried
 * with exponential back-off until it succeeds, the same records again;</li>
 * <li>a write that fails for what the records contain is split in halves, each written in a transaction of its
 * own, recursively (bisection): a single event whose write fails for such a reason is set aside with the database's
 * reason, and every other event is stored. A part that fails transiently while it is being split is retried like
 * any write; nothing is set aside for a transient reason.</li>
 * </ol>
 * What is set aside is returned, by position in the batch; the caller parks it (dead-letter topic) before it
 * acknowledges the batch.
 */
@ApplicationScoped
public class TimelineStore {

    /** An event that will never be stored: its position in the batch and why. */
    public record Rejected(int index, UnstorableEventException reason) {}

    /** What storing a batch did: what was written, and what was set aside (by position). */
    public record Outcome(WriteResult written, List<Rejected> rejected) {}

    private record Part(WriteResult written, List<Rejected> rejected) {

        Part plus(Part other) {
            List<Rejected> both = new ArrayList<>(rejected);
            both.addAll(other.rejected);
            return new Part(written.plus(other.written), both);
        }
    }

    private final TimelineWriter writer;
    private final Duration initialBackOff;
    private final Duration maxBackOff;
    private final Timer writeTimer;
    private final Counter failedWrites;

    @Inject
    public TimelineStore(TimelineWriter writer, StoreConfig config, MeterRegistry registry) {
        this(writer, config.retry().initialBackOff(), config.retry().maxBackOff(), registry);
    }

    public TimelineStore(TimelineWriter writer, Duration initialBackOff, Duration maxBackOff, MeterRegistry registry) {
        this.writer = writer;
        this.initialBackOff = initialBackOff;
        this.maxBackOff = maxBackOff;
        this.writeTimer = Timer.builder("trackline.store.batch.write")
                .description("Time to store one batch (or, after a refusal, one part of it), commit included; "
                        + "failed attempts not included")
                .publishPercentileHistogram()
                .register(registry);
        this.failedWrites = Counter.builder("trackline.store.batch.write.failures")
                .description("Batch writes failed for a transient reason (each is retried until it succeeds)")
                .register(registry);
    }

    /** Stores what can be stored; the Uni completes after every commit, and fails only if cancelled. */
    public Uni<Outcome> store(List<CanonicalEvent> events) {
        return store(events, true);
    }

    /** {@code precheck = false} leaves every decision to the database (tests of the safety net). */
    Uni<Outcome> store(List<CanonicalEvent> events, boolean precheck) {
        List<Rejected> rejected = new ArrayList<>();
        List<Integer> writable = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            UnstorableEventException problem =
                    precheck ? EventChecks.check(events.get(i)).orElse(null) : null;
            if (problem == null) {
                writable.add(i);
            } else {
                rejected.add(new Rejected(i, problem));
            }
        }
        if (writable.isEmpty()) {
            return Uni.createFrom().item(new Outcome(WriteResult.NONE, rejected));
        }
        return write(events, writable).map(part -> {
            List<Rejected> all = new ArrayList<>(rejected);
            all.addAll(part.rejected());
            all.sort(Comparator.comparingInt(Rejected::index));
            return new Outcome(part.written(), all);
        });
    }

    private Uni<Part> write(List<CanonicalEvent> events, List<Integer> indexes) {
        List<CanonicalEvent> part = indexes.size() == events.size()
                ? events
                : indexes.stream().map(events::get).toList();
        return Uni.createFrom()
                .deferred(() -> {
                    Timer.Sample sample = Timer.start();
                    return writer.write(part).invoke(result -> sample.stop(writeTimer));
                })
                .onFailure(WriteFailures::isTransient)
                .invoke(f -> {
                    failedWrites.increment();
                    Log.warnf(
                            "storing %d events failed for a transient reason, will retry: %s",
                            part.size(), f.toString());
                })
                .onFailure(WriteFailures::isTransient)
                .retry()
                .withBackOff(initialBackOff, maxBackOff)
                .indefinitely()
                .map(result -> new Part(result, List.of()))
                .onFailure()
                .recoverWithUni(f -> isolate(events, indexes, f));
    }

    /** After a permanent failure: the culprit if it is one event, else both halves on their own. */
    private Uni<Part> isolate(List<CanonicalEvent> events, List<Integer> indexes, Throwable failure) {
        if (indexes.size() == 1) {
            return Uni.createFrom()
                    .item(new Part(
                            WriteResult.NONE,
                            List.of(new Rejected(indexes.get(0), WriteFailures.unstorable(failure)))));
        }
        Log.infof(
                "%d events refused together (%s); writing them in halves to find what cannot be stored",
                indexes.size(), WriteFailures.unstorable(failure).getMessage());
        int middle = indexes.size() / 2;
        List<Integer> first = indexes.subList(0, middle);
        List<Integer> second = indexes.subList(middle, indexes.size());
        return write(events, first).flatMap(a -> write(events, second).map(a::plus));
    }
}
