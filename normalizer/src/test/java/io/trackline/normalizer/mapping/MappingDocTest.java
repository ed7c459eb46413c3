package io.trackline.normalizer.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/mapping.md is generated from the mapping files and must not drift from them. */
class MappingDocTest {

    static final Path DOC = Path.of("..", "docs", "mapping.md");

    @Test
    void mappingDocIsUpToDate() throws Exception {
        String generated = MappingDocGenerator.render();
        if (Boolean.getBoolean("trackline.mapping-doc.write")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(DOC).exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/mapping.md is stale; regenerate with: " + MappingDocGenerator.REGENERATE)
                .isEqualTo(generated);
    }
}
