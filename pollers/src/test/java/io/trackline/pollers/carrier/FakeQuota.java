package io.trackline.pollers.carrier;

import io.trackline.events.Carrier;
import io.trackline.pollers.service.Quota;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A quota that hands out a set number of tokens and records what the clients did with it (enabled by
 * {@link CarrierClientsProfile} only; the real one is the quota package's, on PostgreSQL).
 */
@Alternative
@Singleton
public class FakeQuota implements Quota {

    private final AtomicInteger left = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger taken = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    public final List<String> coolDowns = new CopyOnWriteArrayList<>();
    public final List<String> stops = new CopyOnWriteArrayList<>();

    public void reset() {
        left.set(Integer.MAX_VALUE);
        taken.set(0);
        refused.set(0);
        coolDowns.clear();
        stops.clear();
    }

    /** Only {@code n} more tokens, then none. */
    public void allow(int n) {
        left.set(n);
    }

    public int taken() {
        return taken.get();
    }

    public int refused() {
        return refused.get();
    }

    @Override
    public boolean tryTake(Carrier carrier, String account) {
        if (left.getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) {
            refused.incrementAndGet();
            return false;
        }
        taken.incrementAndGet();
        return true;
    }

    @Override
    public void coolDown(Carrier carrier, String account, Duration period, String reason) {
        coolDowns.add(carrier.id() + ":" + account + ":" + period + ":" + reason);
    }

    @Override
    public void stop(Carrier carrier, String account, String reason) {
        stops.add(carrier.id() + ":" + account + ":" + reason);
    }

    @Override
    public long remainingToday(Carrier carrier, String account) {
        return left.get();
    }
}
