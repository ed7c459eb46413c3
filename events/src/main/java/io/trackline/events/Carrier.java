package io.trackline.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The carriers Trackline understands; {@link #id()} is the name used in keys, paths and JSON. */
public enum Carrier {
    ALL24("all24"),
    EXPRESS247("247express"),
    MRSPEEDY("mrspeedy");

    private final String id;

    Carrier(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public static Optional<Carrier> find(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equalsIgnoreCase(id)).findFirst();
    }

    @JsonCreator
    public static Carrier fromId(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown carrier: " + id));
    }

    @Override
    public String toString() {
        return id;
    }
}
