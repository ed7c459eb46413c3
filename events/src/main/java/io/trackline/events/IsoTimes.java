package io.trackline.events;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads the common ISO-8601 shapes of times without {@code DateTimeFormatter}'s generic machinery (several times
 * faster on the normalizer's hot path): {@code yyyy-MM-dd}, then {@code T} or a space, {@code HH:mm}, optional
 * {@code :ss} and a fraction of 1 to 9 digits, then optionally {@code Z} or an offset {@code ±HH:mm}. Anything else
 * gives null, and the caller falls back to the JDK's parser, which also gives the error message.
 */
public final class IsoTimes {

    private IsoTimes() {}

    /** A time with an offset, or null when the text is not in the fast shape or has no offset. */
    public static OffsetDateTime offsetDateTime(String text) {
        Parsed p = parse(text);
        return p == null || p.offset == null ? null : OffsetDateTime.of(p.local, p.offset);
    }

    /** A time without an offset ({@code 2015-08-18 12:02:00}), or null when the text is not that. */
    public static LocalDateTime localDateTime(String text) {
        Parsed p = parse(text);
        return p == null || p.offset != null ? null : p.local;
    }

    private record Parsed(LocalDateTime local, ZoneOffset offset) {}

    private static Parsed parse(String s) {
        int n = s == null ? 0 : s.length();
        if (n < 16
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if ((year | month | day | hour | minute) < 0) {
            return null;
        }
        int i = 16;
        int second = 0;
        int nanos = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            if (second < 0) {
                return null;
            }
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                    i++;
                }
                if (i == start || (i < n && isDigit(s.charAt(i)))) {
                    return null;
                }
                for (int k = i - start; k < 9; k++) {
                    nanos *= 10;
                }
            }
        }
        ZoneOffset offset = null;
        if (i < n) {
            char c = s.charAt(i);
            if (c == 'Z' && i + 1 == n) {
                offset = ZoneOffset.UTC;
            } else if ((c == '+' || c == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
                int hours = digits(s, i + 1, 2);
                int minutes = digits(s, i + 4, 2);
                if ((hours | minutes) < 0) {
                    return null;
                }
                try {
                    offset = ZoneOffset.ofHoursMinutes(c == '-' ? -hours : hours, c == '-' ? -minutes : minutes);
                } catch (DateTimeException e) {
                    return null;
                }
            } else {
                return null;
            }
        }
        try {
            return new Parsed(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
        } catch (DateTimeException e) {
            return null; // out of range: the JDK's parser words the error
        }
    }

    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
