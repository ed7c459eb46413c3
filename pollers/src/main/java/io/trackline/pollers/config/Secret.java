package io.trackline.pollers.config;

import java.util.Objects;

/**
 * A credential read from configuration (an API key, an auth token). Its {@link #toString()} never shows the value, so
 * a configuration object, a log line or an exception message that prints it prints a mask; only {@link #reveal()}
 * gives the value, at the one place it is sent.
 */
public final class Secret {

    private static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Used by SmallRye Config to convert the configured string. */
    public static Secret of(String value) {
        return new Secret(value.strip());
    }

    /** The credential itself: send it, never log it. */
    public String reveal() {
        return value;
    }

    public boolean isBlank() {
        return value.isBlank();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && value.equals(s.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
