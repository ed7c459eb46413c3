package io.trackline.sim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load tool's settings: defaults, the steady-state bound and the metrics interval, and what is refused. */
class LoadSettingsTest {

    @Test
    void defaults() {
        LoadSettings s = LoadSettings.parse();
        assertThat(s.rate()).isEqualTo(1000);
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.steadyBelow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.metricsEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.callbacks()).isEqualTo(90_000);
    }

    @Test
    void steadyBelowAndMetricsEvery() {
        LoadSettings s = LoadSettings.parse(
                "--rate=200", "--warmup=90s", "--duration=5m", "--steady-below=500ms", "--metrics-every=0");
        assertThat(s.steadyBelow()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.metricsEvery()).isZero();
        assertThat(s.callbacks()).isEqualTo(200L * 390);
        assertThat(s.toString())
                .contains("steady-below=PT0.5S metrics-every=PT0S")
                .doesNotContain("not-real");
    }

    @Test
    void refused() {
        assertThatThrownBy(() -> LoadSettings.parse("--steady-below=0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadSettings.parse("--steady-belwo=1s"))
                .hasMessageContaining("unknown setting --steady-belwo");
        assertThatThrownBy(() -> LoadSettings.parse("--store-url=http://example.org:8084"))
                .hasMessageContaining("only 127.0.0.1");
    }
}
