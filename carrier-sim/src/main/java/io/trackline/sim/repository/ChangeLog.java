package io.trackline.sim.repository;

import io.trackline.sim.ChangeRecord;
import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The referee's log of status changes, in the order they happened, numbered from 1. Bounded: past
 * {@code trackline.sim.engine.max-changes} the oldest are dropped, and counted.
 */
@ApplicationScoped
public class ChangeLog {

    private final ChangeRecord[] ring;
    private long last;

    public ChangeLog(SimConfig config) {
        this.ring = new ChangeRecord[Math.max(1, config.engine().maxChanges())];
    }

    /** The number the next record gets. */
    public synchronized long nextSeq() {
        return last + 1;
    }

    public synchronized void append(ChangeRecord record) {
        if (record.seq() != last + 1) {
            throw new IllegalStateException("change records are appended in order");
        }
        ring[(int) ((record.seq() - 1) % ring.length)] = record;
        last = record.seq();
    }

    /** The seq of the last record, 0 before any. */
    public synchronized long last() {
        return last;
    }

    /** Records no longer kept. */
    public synchronized long dropped() {
        return Math.max(0, last - ring.length);
    }

    /** A page of records, and the seq up to which the log was read (the next page starts after it). */
    public record Page(List<ChangeRecord> records, long readUpTo) {}

    /** Records with seq greater than {@code since} that match, at most {@code limit}, oldest first. */
    public synchronized Page after(long since, Predicate<ChangeRecord> filter, int limit) {
        List<ChangeRecord> out = new ArrayList<>();
        long seq = Math.max(1, Math.max(since + 1, last - ring.length + 1));
        for (; seq <= last && out.size() < limit; seq++) {
            ChangeRecord record = ring[(int) ((seq - 1) % ring.length)];
            if (filter.test(record)) {
                out.add(record);
            }
        }
        return new Page(out, Math.max(since, seq - 1));
    }
}
