package io.trackline.sim.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** At most {@code limit} requests per calendar day in a zone; the count starts again at local midnight. */
public final class CalendarDayQuota extends Quota {

    private final ZoneId zone;
    private LocalDate day;
    private long count;

    public CalendarDayQuota(String carrier, String account, String name, long limit, ZoneId zone) {
        super(carrier, account, name, limit);
        this.zone = zone;
    }

    private void roll(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        if (!today.equals(day)) {
            day = today;
            count = 0;
        }
    }

    @Override
    protected boolean fits(Instant now) {
        roll(now);
        return count < limit();
    }

    @Override
    protected void add(Instant now) {
        roll(now);
        count++;
    }

    @Override
    public long used(Instant now) {
        roll(now);
        return count;
    }

    @Override
    public Instant freeAt(Instant now) {
        roll(now);
        return count < limit() ? now : day.plusDays(1).atStartOfDay(zone).toInstant();
    }

    @Override
    public String window() {
        return "calendar day " + zone;
    }
}
