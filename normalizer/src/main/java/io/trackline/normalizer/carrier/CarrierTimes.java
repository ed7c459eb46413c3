package io.trackline.normalizer.carrier;

import io.trackline.events.IsoTimes;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Carrier time texts to instants with offset; times without an offset are read in the carrier's zone. */
public final class CarrierTimes {

    /** "2015-08-18 12:02:00", "2015-08-18T12:02:00", with optional fractions. */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private CarrierTimes() {
    }

    /**
     * @param text a time with or without offset
     * @param zone the zone of times sent without one
     */
    public static OffsetDateTime parse(String text, ZoneId zone) throws UnparseableException {
        if (text == null || text.isBlank()) {
            throw new UnparseableException("time is missing");
        }
        String t = text.strip();
        OffsetDateTime fast = IsoTimes.offsetDateTime(t);
        if (fast != null) {
            return fast;
        }
        LocalDateTime fastLocal = IsoTimes.localDateTime(t);
        if (fastLocal != null) {
            return fastLocal.atZone(zone).toOffsetDateTime();
        }
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException withOffset) {
            try {
                return LocalDateTime.parse(t, LOCAL).atZone(zone).toOffsetDateTime();
            } catch (DateTimeParseException local) {
                throw new UnparseableException("unreadable time '" + t + "'");
            }
        }
    }
}
