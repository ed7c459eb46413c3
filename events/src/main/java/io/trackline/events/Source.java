package io.trackline.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a raw payload reached Trackline. */
public enum Source {
    WEBHOOK,
    POLL;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Source fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
