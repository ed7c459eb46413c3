package io.trackline.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON settings of every Trackline topic: ISO-8601 times with their offset, unknown fields ignored. */
public final class TracklineJson {

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private TracklineJson() {}

    /** A shared, thread-safe mapper for topic values. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Trackline's settings to a mapper (for example the one a framework provides). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
