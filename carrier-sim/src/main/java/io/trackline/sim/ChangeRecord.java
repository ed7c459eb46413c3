package io.trackline.sim;

import java.time.Instant;

/**
 * The referee's record of one status change: when it happened in simulated time, when it became visible (wall), and
 * when the carrier first handed it to a client (a poll answer that contained it, or a callback answered 200).
 */
public final class ChangeRecord {

    private final long seq;
    private final String carrier;
    private final String account;
    private final String reference;
    private final int step;
    private final Step change;
    private final String rawTime;
    private final Instant visibleAt;
    private Instant firstServedAt;
    private String servedVia;
    private int timesServed;

    public ChangeRecord(
            long seq,
            String carrier,
            String account,
            String reference,
            int step,
            Step change,
            String rawTime,
            Instant visibleAt) {
        this.seq = seq;
        this.carrier = carrier;
        this.account = account;
        this.reference = reference;
        this.step = step;
        this.change = change;
        this.rawTime = rawTime;
        this.visibleAt = visibleAt;
    }

    /** Notes that an answer to a client carried this change; the first time is the detection time. */
    public synchronized void served(Instant at, String via) {
        if (firstServedAt == null) {
            firstServedAt = at;
            servedVia = via;
        }
        timesServed++;
    }

    public long seq() {
        return seq;
    }

    public String carrier() {
        return carrier;
    }

    public String account() {
        return account;
    }

    public String reference() {
        return reference;
    }

    /** Trackline's shipment id, {@code carrier:account:reference}. */
    public String shipmentId() {
        return carrier + ":" + account + ":" + reference;
    }

    public int step() {
        return step;
    }

    public Step change() {
        return change;
    }

    /** The time as the carrier writes it (local time without offset for all24 and 247Express). */
    public String rawTime() {
        return rawTime;
    }

    public Instant visibleAt() {
        return visibleAt;
    }

    public synchronized Instant firstServedAt() {
        return firstServedAt;
    }

    public synchronized String servedVia() {
        return servedVia;
    }

    public synchronized int timesServed() {
        return timesServed;
    }
}
