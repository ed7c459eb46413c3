package io.trackline.http.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The query parameters of one request, checked once against the names its endpoint takes: an unknown name (a typo
 * of a filter would otherwise list everything), a name given twice, an empty value or text PostgreSQL cannot hold
 * is a 400 that names the parameter, never a filter silently left out.
 */
public final class QueryParameters {

    /** Only a plain name is echoed in a message; anything else could be what the caller hid in it. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /** @throws InvalidRequestException naming the first parameter that is not right */
    public static QueryParameters of(Map<String, List<String>> given, List<String> accepted) {
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : given.entrySet()) {
            String name = parameter.getKey();
            if (!accepted.contains(name)) {
                throw new InvalidRequestException((PLAIN_NAME.matcher(name).matches()
                                ? "unknown query parameter '" + name + "'"
                                : "unknown query parameter")
                        + "; this endpoint takes " + accepted);
            }
            List<String> sent = parameter.getValue();
            if (sent.size() > 1) {
                throw new InvalidRequestException("'" + name + "' may be given only once");
            }
            String value = sent.isEmpty() || sent.get(0) == null ? "" : sent.get(0);
            if (value.isBlank()) {
                throw new InvalidRequestException("'" + name + "' is empty: give it a value or leave it out");
            }
            requireText(name, value);
            values.put(name, value);
        }
        return new QueryParameters(values);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * A value from the path or the query must be text PostgreSQL can compare: no control character (it cannot hold
     * a NUL at all, and no identifier has the others) and no unpaired surrogate (not Unicode, not encodable as
     * UTF-8).
     *
     * @throws InvalidRequestException naming {@code name}
     */
    public static void requireText(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidRequestException("'" + name + "' contains a control character");
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException("'" + name + "' is not valid Unicode text");
            }
        }
    }
}
