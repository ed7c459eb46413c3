package io.trackline.normalizer.carrier;

import io.trackline.events.IsoTimes;
import io.trackline.normalizer.DeadLetterCode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/**
 * Carrier time texts to instants with offset; times without an offset are read in the carrier's zone. Never throws
 * anything but {@link UnparseableException}: a text that is no date and time is {@link DeadLetterCode#INVALID_TIME};
 * one written as a date and time whose value cannot be held (second 60, 30 February, an offset beyond ±18:00, a year
 * beyond ±999999999) is {@link DeadLetterCode#EVENT_TIME_OUT_OF_RANGE}, like a time outside the validation window.
 */
public final class CarrierTimes {

    /** "2015-08-18 12:02:00", "2015-08-18T12:02:00", with optional fractions. */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalEnd()
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    /** The shape of an ISO date and time, whatever its field values: tells "out of range" from "not a time". */
    private static final Pattern DATE_TIME_SHAPE =
            Pattern.compile("[+-]?\\d{4,10}-\\d{1,2}-\\d{1,2}[T ]\\d{1,2}:\\d{1,2}(:\\d{1,2}([.,]\\d{1,9})?)?"
                    + "(Z|[+-]\\d{1,2}(:?\\d{2}(:?\\d{2})?)?)?");

    private static final int LONGEST_TIME = 64;

    private CarrierTimes() {}

    /**
     * @param text a time with or without offset
     * @param zone the zone of times sent without one
     */
    public static OffsetDateTime parse(String text, ZoneId zone) throws UnparseableException {
        if (text == null || text.isBlank()) {
            throw new UnparseableException("time is missing");
        }
        String t = text.strip();
        if (t.length() > LONGEST_TIME) {
            throw new UnparseableException(DeadLetterCode.INVALID_TIME, "unreadable time " + Quoted.of(t));
        }
        OffsetDateTime fast = IsoTimes.offsetDateTime(t);
        if (fast != null) {
            return fast;
        }
        LocalDateTime fastLocal = IsoTimes.localDateTime(t);
        if (fastLocal != null) {
            return local(fastLocal, zone, t);
        }
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeException withOffset) {
            try {
                return local(LocalDateTime.parse(t, LOCAL), zone, t);
            } catch (DateTimeException local) {
                if (DATE_TIME_SHAPE.matcher(t).matches()) {
                    throw new UnparseableException(
                            DeadLetterCode.EVENT_TIME_OUT_OF_RANGE,
                            "time " + Quoted.of(t) + " cannot be held: " + why(withOffset, local));
                }
                throw new UnparseableException(DeadLetterCode.INVALID_TIME, "unreadable time " + Quoted.of(t));
            }
        }
    }

    /** The JDK's words for the field that is out of range ("Invalid value for SecondOfMinute ..."), if any. */
    private static String why(DateTimeException... failures) {
        for (DateTimeException failure : failures) {
            String message = String.valueOf(failure.getMessage());
            int at = message.indexOf("parsed: ");
            if (at >= 0) {
                return message.substring(at + "parsed: ".length());
            }
        }
        return "a field is out of range";
    }

    private static OffsetDateTime local(LocalDateTime local, ZoneId zone, String text) throws UnparseableException {
        try {
            return local.atZone(zone).toOffsetDateTime();
        } catch (DateTimeException e) { // the first or last instants a LocalDateTime can hold, in a zone
            throw new UnparseableException(
                    DeadLetterCode.EVENT_TIME_OUT_OF_RANGE, "time " + Quoted.of(text) + " cannot be held in " + zone);
        }
    }
}
