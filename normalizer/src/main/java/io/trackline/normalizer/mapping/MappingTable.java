package io.trackline.normalizer.mapping;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.trackline.events.Carrier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A carrier's mapping table: data, versioned, loaded from {@code mappings/<carrier>.json}.
 *
 * @param mapByName true when a code without a row may be mapped through the carrier's name for it (a row whose code or
 *                  names equal it): for carriers that document names but send ids
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MappingTable(Carrier carrier, String version, String source, boolean mapByName, List<Mapping> mappings) {

    public MappingTable {
        if (carrier == null || version == null || version.isBlank() || mappings == null) {
            throw new IllegalArgumentException("a mapping table needs carrier, version and mappings");
        }
        Map<String, Mapping> seen = new HashMap<>();
        for (Mapping m : mappings) {
            if (m.field() == null || m.code() == null || m.status() == null) {
                throw new IllegalArgumentException(carrier + " mapping rows need field, code and status: " + m);
            }
            if (seen.put(key(m.field(), m.code()), m) != null) {
                throw new IllegalArgumentException(carrier + " maps " + m.field() + "=" + m.code() + " twice");
            }
        }
        mappings = List.copyOf(mappings);
    }

    public Optional<Mapping> find(String field, String code) {
        return mappings.stream()
                .filter(m -> m.field().equals(field) && m.code().equalsIgnoreCase(code.strip()))
                .findFirst();
    }

    /**
     * The row of a field whose code or one of whose names is the carrier's text: used when a carrier sends an id
     * the table does not know together with a name it does (247Express documents {@code status} as an "Order status
     * ID" but lists only names).
     */
    public Optional<Mapping> findByName(String field, String name) {
        if (!mapByName || name == null || name.isBlank()) {
            return Optional.empty();
        }
        String n = name.strip();
        return mappings.stream()
                .filter(m -> m.field().equals(field))
                .filter(m -> m.code().equalsIgnoreCase(n)
                        || (m.names() != null && m.names().stream().anyMatch(x -> x.equalsIgnoreCase(n))))
                .findFirst();
    }

    private static String key(String field, String code) {
        return field + '\u0000' + code.toLowerCase();
    }
}
