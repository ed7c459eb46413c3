package io.trackline.normalizer.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.trackline.events.Carrier;
import io.trackline.events.TracklineJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates {@code docs/mapping.md} from the mapping files ({@code normalizer/src/main/resources/mappings}).
 * {@code MappingDocTest} fails when the file is out of date; regenerate with
 * {@code ./mvnw -B -o -pl normalizer test -Dtest=MappingDocTest -Dtrackline.mapping-doc.write=true}, or run this
 * class's {@code main} with the output path.
 */
public final class MappingDocGenerator {

    public static final String REGENERATE = "flock /tmp/trackline-mvn.lock ./mvnw -B -o -pl normalizer test "
            + "-Dtest=MappingDocTest -Dtrackline.mapping-doc.write=true";

    private MappingDocGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/mapping.md");
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }

    public static String render() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("<!-- GENERATED FILE: do not edit. Source: normalizer/src/main/resources/mappings/*.json, generator: "
                + "normalizer/src/test/java/io/trackline/normalizer/mapping/MappingDocGenerator.java. -->\n");
        md.append("<!-- Regenerate from the repository root: ")
                .append(REGENERATE)
                .append(" -->\n\n");
        md.append("# Carrier code mapping\n\n");
        md.append("> **Generated** from the mapping files in `normalizer/src/main/resources/mappings/` by "
                        + "`MappingDocGenerator`; edit the JSON files, then regenerate with\n> `")
                .append(REGENERATE)
                .append("`.\n> `MappingDocTest` fails the build while this file is out of date.\n\n");
        md.append("Every code, status and delay reason of the three carrier documents, with its canonical status and "
                + "reason. Each table is versioned; every canonical event carries the version that produced it "
                + "(`mappingVersion`, CloudEvents extension `ce_mappingversion`). A deployment overrides a table "
                + "without rebuilding by placing `<carrier>.json` in `trackline.normalizer.mapping-dir` "
                + "(see [normalizer.md](normalizer.md)). A code with no row becomes `UNKNOWN` with the raw code kept, "
                + "counted by `trackline_normalizer_codes_unmapped_total`. A row marked **reversal** is a code that may "
                + "move a shipment out of a final status: the event carries it (`reversal: true`) and status-store "
                + "lets it replace a final status ([status-rules.md](status-rules.md)); every other event carries "
                + "`reversal: false`.\n\n");
        for (Carrier carrier : Carrier.values()) {
            JsonNode table = read(carrier);
            md.append("## ")
                    .append(carrier.id())
                    .append(" (`")
                    .append(table.path("version").asText())
                    .append("`)\n\n");
            md.append("Source: ").append(table.path("source").asText()).append("\n\n");
            md.append(
                    table.path("mapByName").asBoolean(false)
                            ? "A code without a row is mapped through the carrier's name for it when a row's code or names "
                                    + "equal that name (counted by `trackline_normalizer_codes_mapped_by_name_total`).\n\n"
                            : "A code without a row is `UNKNOWN` (names are never used to map).\n\n");
            md.append("| carrier field | code | canonical status | canonical reason | carrier's words | "
                    + "names accepted | notes |\n|---|---|---|---|---|---|---|\n");
            for (JsonNode row : table.path("mappings")) {
                StringBuilder notes = new StringBuilder();
                if (row.path("reversal").asBoolean(false)) {
                    notes.append("reversal (may follow a final status)");
                }
                if (row.hasNonNull("documentTable")) {
                    notes.append(notes.isEmpty() ? "" : "; ")
                            .append("table says: ")
                            .append(row.get("documentTable").asText());
                }
                StringBuilder names = new StringBuilder();
                row.path("names")
                        .forEach(n -> names.append(names.isEmpty() ? "" : ", ").append(n.asText()));
                md.append("| `")
                        .append(row.path("field").asText())
                        .append("` | `")
                        .append(row.path("code").asText())
                        .append("` | ")
                        .append(row.path("status").asText())
                        .append(" | ")
                        .append(row.path("reason").asText(""))
                        .append(" | ")
                        .append(cell(row.path("description").asText("")))
                        .append(" | ")
                        .append(cell(names.toString()))
                        .append(" | ")
                        .append(notes)
                        .append(" |\n");
            }
            if (!table.path("errors").isEmpty()) {
                md.append("\nError answers (no shipment fact: counted by "
                        + "`trackline_normalizer_carrier_errors_total{carrier,code}`, the raw record stays on "
                        + "`trackline.raw.v1`):\n\n| carrier field | code | carrier's words |\n|---|---|---|\n");
                for (JsonNode row : table.path("errors")) {
                    md.append("| `")
                            .append(row.path("field").asText())
                            .append("` | `")
                            .append(row.path("code").asText())
                            .append("` | ")
                            .append(cell(row.path("description").asText()))
                            .append(" |\n");
                }
            }
            md.append("\n### Contradictions and gaps in the ")
                    .append(carrier.id())
                    .append(" document\n\n");
            for (JsonNode note : table.path("notes")) {
                md.append("- **")
                        .append(note.path("topic").asText())
                        .append(".** ")
                        .append(note.path("resolution").asText())
                        .append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static JsonNode read(Carrier carrier) throws IOException {
        try (InputStream in = MappingDocGenerator.class.getResourceAsStream("/mappings/" + carrier.id() + ".json")) {
            return TracklineJson.mapper().readTree(in);
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
