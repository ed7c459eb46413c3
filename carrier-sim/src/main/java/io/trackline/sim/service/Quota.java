package io.trackline.sim.service;

import java.time.Instant;

/**
 * One limit a carrier enforces on one account (or on all of them), with the referee's counts. An overrun is a request
 * that would have exceeded the limit: the carrier refused it with its own error. A client that keeps within its
 * quota causes none.
 */
public abstract class Quota {

    private final String carrier;
    private final String account;
    private final String name;
    private final long limit;
    private long accepted;
    private long overruns;
    private long refusedDuringCooldown;
    private Instant cooldownUntil;
    private Instant lastOverrunAt;

    protected Quota(String carrier, String account, String name, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a quota's limit is not negative");
        }
        this.carrier = carrier;
        this.account = account;
        this.name = name;
        this.limit = limit;
    }

    /** Whether one more request fits at {@code now}. */
    protected abstract boolean fits(Instant now);

    /** Counts an admitted request. */
    protected abstract void add(Instant now);

    /** Requests counted in the window that holds {@code now}. */
    public abstract long used(Instant now);

    /** When the next request will fit, if none is admitted before. */
    public abstract Instant freeAt(Instant now);

    /** The window, in words: {@code rolling PT1M}, {@code calendar day Asia/Ho_Chi_Minh}. */
    public abstract String window();

    final synchronized boolean admits(Instant now) {
        return fits(now);
    }

    final synchronized void accept(Instant now) {
        add(now);
        accepted++;
    }

    final synchronized void refuse(Instant now) {
        overruns++;
        lastOverrunAt = now;
        if (cooldownUntil != null && now.isBefore(cooldownUntil)) {
            refusedDuringCooldown++;
        }
        cooldownUntil = freeAt(now);
    }

    public String carrier() {
        return carrier;
    }

    public String account() {
        return account;
    }

    public String name() {
        return name;
    }

    public long limit() {
        return limit;
    }

    public synchronized long accepted() {
        return accepted;
    }

    public synchronized long overruns() {
        return overruns;
    }

    /** Overruns that came while the previous refusal's cool-down (its Retry-After, its window) still ran. */
    public synchronized long refusedDuringCooldown() {
        return refusedDuringCooldown;
    }

    public synchronized Instant lastOverrunAt() {
        return lastOverrunAt;
    }

    public synchronized long usedAt(Instant now) {
        return used(now);
    }

    public synchronized Instant freeAtTime(Instant now) {
        return freeAt(now);
    }
}
