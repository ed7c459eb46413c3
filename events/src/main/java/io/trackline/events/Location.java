package io.trackline.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Where an event happened, as far as the carrier says: every part is optional. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Location(String name, String area, String postcode, String address, String latitude, String longitude) {

    public static Location named(String name, String area, String postcode) {
        return new Location(blankToNull(name), blankToNull(area), blankToNull(postcode), null, null, null);
    }

    /** Not a property: without this, Jackson would write {@code "empty": false} into every location. */
    @JsonIgnore
    public boolean isEmpty() {
        return name == null
                && area == null
                && postcode == null
                && address == null
                && latitude == null
                && longitude == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
