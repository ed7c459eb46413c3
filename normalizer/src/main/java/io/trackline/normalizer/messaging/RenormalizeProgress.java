package io.trackline.normalizer.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.trackline.normalizer.config.NormalizerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In a re-normalization run, the end offsets of the raw partitions at assignment: once every one is read, the run is
 * done and (unless configured otherwise) the application exits. Does nothing in normal operation.
 */
@ApplicationScoped
public class RenormalizeProgress {

    private final boolean active;
    private final boolean exitWhenDone;
    private final Map<Integer, Long> remaining = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean done;

    @jakarta.inject.Inject
    public RenormalizeProgress(NormalizerConfig config) {
        this(config.renormalize().from().isPresent(), config.renormalize().exitWhenDone());
    }

    RenormalizeProgress(boolean active, boolean exitWhenDone) {
        this.active = active;
        this.exitWhenDone = exitWhenDone;
    }

    public boolean active() {
        return active;
    }

    public boolean done() {
        return done;
    }

    /** @param positionAndEnd per assigned partition: the next offset to read and the end offset at assignment */
    public void targets(Map<Integer, long[]> positionAndEnd) {
        if (!active) {
            return;
        }
        started = true;
        positionAndEnd.forEach((partition, pe) -> {
            if (pe[0] < pe[1]) {
                remaining.put(partition, pe[1]);
            } else {
                remaining.remove(partition);
            }
        });
        checkDone();
    }

    public void processed(int partition, long offset) {
        if (!active) {
            return;
        }
        remaining.computeIfPresent(partition, (p, end) -> offset + 1 >= end ? null : end);
        checkDone();
    }

    private void checkDone() {
        if (started && !done && remaining.isEmpty()) {
            done = true;
            Log.info("re-normalization caught up with the end offsets it started from");
            if (exitWhenDone) {
                Quarkus.asyncExit(0);
            }
        }
    }
}
