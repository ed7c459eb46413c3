package io.trackline.sim.service;

import java.time.Duration;
import java.time.Instant;

/**
 * At most {@code limit} requests in any window of {@code window} length, exactly: the times of the last
 * {@code limit} admitted requests are kept in a ring, and one more fits when the oldest of them has left the window.
 */
public final class RollingWindowQuota extends Quota {

    private final Duration window;
    private final long windowMillis;
    private final long[] times;
    private int head;
    private int size;

    public RollingWindowQuota(String carrier, String account, String name, int limit, Duration window) {
        super(carrier, account, name, limit);
        this.window = window;
        this.windowMillis = window.toMillis();
        this.times = new long[limit];
    }

    @Override
    protected boolean fits(Instant now) {
        return times.length > 0 && (size < times.length || times[head] <= now.toEpochMilli() - windowMillis);
    }

    @Override
    protected void add(Instant now) {
        long t = now.toEpochMilli();
        if (size < times.length) {
            times[(head + size) % times.length] = t;
            size++;
        } else {
            times[head] = t;
            head = (head + 1) % times.length;
        }
    }

    @Override
    public long used(Instant now) {
        long from = now.toEpochMilli() - windowMillis;
        long used = 0;
        for (int i = 0; i < size; i++) {
            if (times[(head + i) % times.length] > from) {
                used++;
            }
        }
        return used;
    }

    @Override
    public Instant freeAt(Instant now) {
        if (times.length == 0) {
            return Instant.MAX;
        }
        if (size < times.length) {
            return now;
        }
        Instant free = Instant.ofEpochMilli(times[head] + windowMillis);
        return free.isAfter(now) ? free : now;
    }

    @Override
    public String window() {
        return "rolling " + window;
    }
}
