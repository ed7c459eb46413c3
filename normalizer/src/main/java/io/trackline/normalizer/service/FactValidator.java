package io.trackline.normalizer.service;

import io.trackline.events.Location;
import io.trackline.events.RawEnvelope;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.carrier.CarrierFact;
import io.trackline.normalizer.carrier.Quoted;
import io.trackline.normalizer.carrier.UnparseableException;
import io.trackline.normalizer.config.NormalizerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates at the boundary what downstream cannot hold, before a fact becomes a canonical event (docs/normalizer.md,
 * "Validation"):
 * <ul>
 * <li>at most {@link Limits#maxFacts()} facts per raw record, else {@link DeadLetterCode#TOO_MANY_FACTS};</li>
 * <li>every fact's {@code occurredAt} within the window [{@link Limits#earliest()}, now + {@link Limits#latestAhead()}],
 * else {@link DeadLetterCode#EVENT_TIME_OUT_OF_RANGE}; an ETA outside it is dropped (the facts stand) and counted;</li>
 * <li>identifiers (account, reference, references, raw code, reason code, raw time) without control characters or
 * unpaired surrogates and at most {@link Limits#maxIdentifierLength()} characters long, else
 * {@link DeadLetterCode#INVALID_TEXT}: an identifier changed would be another identifier;</li>
 * <li>free text (raw text, every location field) cleaned: C0 control characters other than tab, line feed and carriage
 * return removed, unpaired surrogates replaced by U+FFFD, longer than {@link Limits#maxTextLength()} characters
 * cut (ending in "…"), and counted.</li>
 * </ul>
 * PostgreSQL's {@code text} and {@code jsonb} refuse NUL and unpaired surrogates (Jackson writes a lone surrogate as a
 * {@code \ud800} escape, which {@code jsonb} refuses too), and a B-tree index entry of more than about 2.7 kB fails:
 * all of that is caught here, for every consumer of the events topic, not in each one.
 */
@ApplicationScoped
public class FactValidator {

    /** The limits; {@link #DEFAULTS} are the documented defaults. */
    public record Limits(
            Instant earliest, Duration latestAhead, int maxFacts, int maxIdentifierLength, int maxTextLength) {

        public static final Limits DEFAULTS =
                new Limits(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofDays(365), 200, 256, 1000);

        public Limits {
            if (maxTextLength < 2 || maxIdentifierLength < 1 || maxFacts < 1) {
                throw new IllegalArgumentException("validation limits must be positive");
            }
        }
    }

    static final String RAW_TEXT = "rawText";
    /** The free-text fields, as the {@code field} tag of {@code trackline.normalizer.text.sanitized}. */
    static final List<String> TEXT_FIELDS = List.of(
            RAW_TEXT,
            "location.name",
            "location.area",
            "location.postcode",
            "location.address",
            "location.latitude",
            "location.longitude");

    private final Limits limits;
    private final NormalizerMetrics metrics;
    private final Clock clock;

    @Inject
    public FactValidator(NormalizerConfig config, NormalizerMetrics metrics) {
        this(
                new Limits(
                        config.validation().earliest(),
                        config.validation().latestAhead(),
                        config.maxFactsPerRecord(),
                        config.validation().maxIdentifierLength(),
                        config.validation().maxTextLength()),
                metrics,
                Clock.systemUTC());
    }

    public FactValidator(Limits limits, NormalizerMetrics metrics, Clock clock) {
        this.limits = limits;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * @return the facts as they may be published: the same objects where nothing needed cleaning
     * @throws UnparseableException with the code that sends the whole record to the dead-letter topic
     */
    public List<CarrierFact> check(RawEnvelope envelope, List<CarrierFact> facts) throws UnparseableException {
        String carrier = envelope.carrier().id();
        if (facts.size() > limits.maxFacts()) {
            throw new UnparseableException(
                    DeadLetterCode.TOO_MANY_FACTS,
                    "the payload holds " + facts.size()
                            + " facts; at most " + limits.maxFacts() + " are taken from one raw record"
                            + " (trackline.normalizer.max-facts-per-record)");
        }
        identifier("account", envelope.account());
        Instant earliest = limits.earliest();
        Instant latest = latest();
        List<CarrierFact> checked = new ArrayList<>(facts.size());
        Map<String, String> referencesChecked = null;
        boolean etaDropped = false;
        for (CarrierFact fact : facts) {
            if (fact.occurredAt() == null) {
                throw new UnparseableException("a " + fact.field() + " fact has no time");
            }
            Instant at = fact.occurredAt().toInstant();
            if (at.isBefore(earliest) || at.isAfter(latest)) {
                throw new UnparseableException(
                        DeadLetterCode.EVENT_TIME_OUT_OF_RANGE,
                        "event time of the "
                                + fact.field() + " fact "
                                + Quoted.of(
                                        fact.rawTime() != null
                                                ? fact.rawTime()
                                                : fact.occurredAt().toString())
                                + " is outside the window " + earliest + " to " + latest
                                + " (trackline.normalizer.validation)");
            }
            identifier("reference", fact.reference());
            identifier("rawCode of " + fact.field(), fact.code());
            identifier("reason code of " + fact.reasonField(), fact.reasonCode());
            identifier("rawTime of " + fact.field(), fact.rawTime());
            if (fact.references() != null && fact.references() != referencesChecked) {
                // the facts of one order share one map: checked once
                for (Map.Entry<String, String> reference : fact.references().entrySet()) {
                    identifier("references key", reference.getKey());
                    identifier("references." + reference.getKey(), reference.getValue());
                }
                referencesChecked = fact.references();
            }
            OffsetDateTime eta = fact.eta();
            if (eta != null
                    && (eta.toInstant().isBefore(earliest) || eta.toInstant().isAfter(latest))) {
                eta = null;
                etaDropped = true;
            }
            String text = text(carrier, RAW_TEXT, fact.text());
            Location location = location(carrier, fact.location());
            if (eta == fact.eta() && text == fact.text() && location == fact.location()) {
                checked.add(fact);
            } else {
                checked.add(
                        fact.toBuilder().text(text).location(location).eta(eta).build());
            }
        }
        if (etaDropped) {
            metrics.etaDropped(carrier);
        }
        return checked;
    }

    private Instant latest() {
        try {
            return clock.instant().plus(limits.latestAhead());
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX; // a configured "ahead" beyond what an instant holds: no upper bound
        }
    }

    /** Refuses an identifier that a consumer could not hold, or that cleaning would turn into another one. */
    void identifier(String field, String value) throws UnparseableException {
        if (value == null) {
            return;
        }
        int n = value.length();
        if (n > limits.maxIdentifierLength()) {
            throw new UnparseableException(
                    DeadLetterCode.INVALID_TEXT,
                    field + " is " + n + " characters long; at most " + limits.maxIdentifierLength() + " are allowed: "
                            + Quoted.of(value));
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw new UnparseableException(
                        DeadLetterCode.INVALID_TEXT,
                        field + " holds the control character " + String.format("U+%04X", (int) c) + " at index " + i
                                + ": " + Quoted.of(value));
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new UnparseableException(
                        DeadLetterCode.INVALID_TEXT,
                        field + " holds an unpaired surrogate " + String.format("U+%04X", (int) c) + " at index " + i
                                + ": " + Quoted.of(value));
            }
        }
    }

    private Location location(String carrier, Location location) {
        if (location == null) {
            return null;
        }
        String name = text(carrier, "location.name", location.name());
        String area = text(carrier, "location.area", location.area());
        String postcode = text(carrier, "location.postcode", location.postcode());
        String address = text(carrier, "location.address", location.address());
        String latitude = text(carrier, "location.latitude", location.latitude());
        String longitude = text(carrier, "location.longitude", location.longitude());
        if (name == location.name()
                && area == location.area()
                && postcode == location.postcode()
                && address == location.address()
                && latitude == location.latitude()
                && longitude == location.longitude()) {
            return location;
        }
        Location cleaned = new Location(name, area, postcode, address, latitude, longitude);
        return cleaned.isEmpty() ? null : cleaned;
    }

    /** Free text as a consumer can hold it: the same string when it needs nothing, else a cleaned copy (counted). */
    String text(String carrier, String field, String value) {
        if (value == null || clean(value, limits.maxTextLength())) {
            return value;
        }
        metrics.textSanitized(carrier, field);
        String cleaned = sanitize(value, limits.maxTextLength());
        return cleaned.isBlank() ? null : cleaned;
    }

    private static boolean clean(String value, int max) {
        int n = value.length();
        if (n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                if (c != '\t' && c != '\n' && c != '\r') {
                    return false;
                }
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    static String sanitize(String value, int max) {
        int n = value.length();
        StringBuilder out = new StringBuilder(Math.min(n, max + 1));
        for (int i = 0; i < n && out.length() <= max; i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                if (c == '\t' || c == '\n' || c == '\r') {
                    out.append(c);
                }
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    out.append(c).append(value.charAt(++i));
                } else {
                    out.append('\uFFFD');
                }
            } else {
                out.append(c);
            }
        }
        if (out.length() > max) {
            int cut = max - 1;
            if (Character.isLowSurrogate(out.charAt(cut)) && Character.isHighSurrogate(out.charAt(cut - 1))) {
                cut--; // never half a pair
            }
            out.setLength(cut);
            out.append('…');
        }
        return out.toString();
    }
}
