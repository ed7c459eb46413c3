package io.trackline.normalizer.mapping;

import io.trackline.events.Carrier;
import io.trackline.events.TracklineJson;
import io.trackline.normalizer.config.NormalizerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Every carrier's mapping table. The tables ship in the jar ({@code mappings/<carrier>.json}); a deployment
 * overrides one without rebuilding by putting a file of the same name in {@code trackline.normalizer.mapping-dir}.
 */
@ApplicationScoped
public class MappingTables {

    private static final Logger LOG = Logger.getLogger(MappingTables.class);

    private final Map<Carrier, MappingTable> tables = new EnumMap<>(Carrier.class);

    @Inject
    public MappingTables(NormalizerConfig config) {
        this(config.mappingDir());
    }

    /** The built-in tables, each replaced by {@code <carrier>.json} in {@code overrideDir} where present. */
    public MappingTables(Optional<Path> overrideDir) {
        for (Carrier carrier : Carrier.values()) {
            tables.put(carrier, load(carrier, overrideDir));
        }
    }

    public MappingTable table(Carrier carrier) {
        return tables.get(carrier);
    }

    static MappingTable load(Carrier carrier, Optional<Path> overrideDir) {
        String name = carrier.id() + ".json";
        try {
            if (overrideDir.isPresent() && Files.isRegularFile(overrideDir.get().resolve(name))) {
                Path file = overrideDir.get().resolve(name);
                try (InputStream in = Files.newInputStream(file)) {
                    MappingTable table = read(carrier, in);
                    LOG.infof("mapping %s from %s", table.version(), file);
                    return table;
                }
            }
            try (InputStream in = MappingTables.class.getResourceAsStream("/mappings/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("no mapping table mappings/" + name + " on the classpath");
                }
                return read(carrier, in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mapping table " + name + " unreadable", e);
        }
    }

    static MappingTable read(Carrier carrier, InputStream in) throws IOException {
        MappingTable table = TracklineJson.mapper().readValue(in, MappingTable.class);
        if (table.carrier() != carrier) {
            throw new IllegalStateException("mapping table for " + carrier + " names carrier " + table.carrier());
        }
        return table;
    }
}
