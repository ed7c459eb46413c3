package io.trackline.pollers.carrier;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that is about to be logged or put in an exception message: the value of every query
 * parameter whose name says it is a key or a token ({@code apikey}, {@code apiKey}, {@code api_key}, {@code token},
 * in any case) and the user information of a URI. 247Express's key travels in the query string, so any URI of its
 * requests is passed through here before it is written anywhere.
 */
public final class Masking {

    public static final String MASK = "****";

    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;]|\\b)((?:api[_-]?key|apikey|key|token|auth[_-]?token|access[_-]?token|secret)=)([^&#\\s\"']*)");
    private static final Pattern USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/@\\s]+@");

    private Masking() {}

    /** {@code text} with secret query parameter values and URI user information replaced by {@link #MASK}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = SECRET_PARAMETER
                .matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        return USER_INFO.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
    }

    /** {@link #mask(String)}, and every occurrence of {@code secret} itself (however it got into the text). */
    public static String mask(String text, String secret) {
        String masked = mask(text);
        if (masked != null && secret != null && secret.length() >= 4) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
