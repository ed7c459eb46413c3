package io.trackline.sim;

import io.trackline.events.Carrier;
import java.time.Instant;
import java.util.List;

/**
 * A simulated shipment: who it belongs to, and its whole planned life, of which the first {@link #revealed()} steps
 * have happened. The plan is fixed when the shipment is created (from its own seeded random stream), so what a carrier
 * shows at a simulated time does not depend on how often the engine ticked.
 */
public final class Shipment {

    private final Carrier carrier;
    private final String account;
    private final String reference;
    private final String altReference;
    private final long number;
    private final long serial;
    private final boolean manual;
    private final String scenario;
    private final Instant createdAt;
    private final List<Step> steps;
    private final Object profile;
    private final ChangeRecord[] records;
    private int revealed;

    public Shipment(
            Carrier carrier,
            String account,
            String reference,
            String altReference,
            long number,
            long serial,
            boolean manual,
            String scenario,
            Instant createdAt,
            List<Step> steps,
            Object profile) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a shipment has at least one step");
        }
        this.carrier = carrier;
        this.account = account;
        this.reference = reference;
        this.altReference = altReference;
        this.number = number;
        this.serial = serial;
        this.manual = manual;
        this.scenario = scenario;
        this.createdAt = createdAt;
        this.steps = List.copyOf(steps);
        this.profile = profile;
        this.records = new ChangeRecord[steps.size()];
    }

    public Carrier carrier() {
        return carrier;
    }

    public String account() {
        return account;
    }

    /** The carrier's reference Trackline keys the shipment by (all24 tracking number, order code, order id). */
    public String reference() {
        return reference;
    }

    /** A second reference the carrier also finds it by (all24: {@code customer_id/tracking_number}); may be null. */
    public String altReference() {
        return altReference;
    }

    /** A number that orders the carrier's listings (MrSpeedy's order_id). */
    public long number() {
        return number;
    }

    /** Creation order over all carriers. */
    public long serial() {
        return serial;
    }

    public boolean manual() {
        return manual;
    }

    public String scenario() {
        return scenario;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String shipmentId() {
        return carrier.id() + ":" + account + ":" + reference;
    }

    public List<Step> steps() {
        return steps;
    }

    @SuppressWarnings("unchecked")
    public <T> T profile() {
        return (T) profile;
    }

    public int revealed() {
        return revealed;
    }

    public List<Step> visibleSteps() {
        return steps.subList(0, revealed);
    }

    public boolean finished() {
        return revealed == steps.size();
    }

    /** The simulated time of the last planned change. */
    public Instant lastChangeAt() {
        return steps.get(steps.size() - 1).at();
    }

    public Step nextStep() {
        return finished() ? null : steps.get(revealed);
    }

    /** Makes the next step happen, with its referee record. */
    public void reveal(ChangeRecord record) {
        records[revealed] = record;
        revealed++;
    }

    public ChangeRecord record(int step) {
        return records[step];
    }
}
