package io.trackline.normalizer.mapping;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import java.util.List;

/**
 * One row of a carrier's mapping table.
 *
 * @param field       the carrier field the code comes from
 * @param code        the carrier's code
 * @param status      canonical status
 * @param reason      canonical reason, if the code implies one
 * @param reversal    true when the code reopens a shipment whose status was final (e.g. MrSpeedy {@code reactivated})
 * @param description the carrier's own words for the code
 * @param names       the names the carrier sends with this code; another name is counted as a disagreement
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Mapping(
        String field,
        String code,
        CanonicalStatus status,
        CanonicalReason reason,
        boolean reversal,
        String description,
        List<String> names) {

    /** True when the carrier's name for the code is one this row expects (or the row expects none). */
    public boolean nameAgrees(String name) {
        return name == null
                || names == null
                || names.isEmpty()
                || names.stream().anyMatch(n -> n.equalsIgnoreCase(name.strip()));
    }
}
