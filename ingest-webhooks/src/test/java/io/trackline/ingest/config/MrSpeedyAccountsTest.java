package io.trackline.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Accounts from a properties file and from environment variables only, as the deployed service reads them. */
class MrSpeedyAccountsTest {

    @Test
    void envOnlyAccountWithASimpleNameIsFound() {
        MrSpeedyAccounts accounts = accounts(
                Map.of(),
                Map.of(
                        "TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_ACME_SECRET", "env-secret-not-real",
                        "TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_ACME_PREVIOUS_SECRET", "env-previous-not-real"));

        assertThat(accounts.find("acme"))
                .contains(new MrSpeedyAccounts.Account(
                        "acme", "env-secret-not-real", Optional.of("env-previous-not-real")));
        assertThat(accounts.names()).containsExactly("acme");
    }

    @Test
    void envOnlyAccountWithADashNeedsItsNameListed() {
        Map<String, String> env = Map.of("TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_ACME_TH_SECRET", "th-secret-not-real");
        // Without the list SmallRye Config cannot tell where the name ends, and skips the variable.
        assertThat(accounts(Map.of(), env).find("acme-th")).isEmpty();

        Map<String, String> listed = Map.of(
                "TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_ACME_TH_SECRET",
                "th-secret-not-real",
                "TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_ACME_TH_PREVIOUS_SECRET",
                "th-previous-not-real",
                "TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNT_NAMES",
                "acme-th, beta",
                "TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_BETA_SECRET",
                "beta-secret-not-real");
        MrSpeedyAccounts accounts = accounts(Map.of(), listed);
        assertThat(accounts.find("acme-th"))
                .contains(new MrSpeedyAccounts.Account(
                        "acme-th", "th-secret-not-real", Optional.of("th-previous-not-real")));
        assertThat(accounts.find("beta")).map(MrSpeedyAccounts.Account::secret).contains("beta-secret-not-real");
        assertThat(accounts.names()).containsExactly("acme-th", "beta");
    }

    @Test
    void propertiesAndEnvironmentMixAndTheEnvironmentWins() {
        MrSpeedyAccounts accounts = accounts(
                Map.of(
                        "trackline.webhooks.mrspeedy.accounts.demo.secret",
                        "file-secret-not-real",
                        "trackline.webhooks.mrspeedy.accounts.acme.secret",
                        "file-acme-not-real"),
                Map.of("TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_ACME_SECRET", "env-acme-not-real"));

        assertThat(accounts.find("demo")).map(MrSpeedyAccounts.Account::secret).contains("file-secret-not-real");
        assertThat(accounts.find("acme")).map(MrSpeedyAccounts.Account::secret).contains("env-acme-not-real");
        assertThat(accounts.find("nobody")).isEmpty();
        assertThat(accounts.find(null)).isEmpty();
    }

    @Test
    void aListedAccountWithoutSecretStopsStartupWithoutShowingSecrets() {
        assertThatThrownBy(() -> accounts(Map.of(), Map.of("TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNT_NAMES", "ghost")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ghost")
                .hasMessageContaining("TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_GHOST_SECRET");
    }

    @Test
    void invalidAccountNamesAreRefused() {
        assertThatThrownBy(() ->
                        accounts(Map.of("trackline.webhooks.mrspeedy.accounts.\"bad:name\".secret", "x"), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invalid MrSpeedy account");
    }

    @Test
    void toStringNeverShowsASecret() {
        MrSpeedyAccounts.Account account =
                new MrSpeedyAccounts.Account("acme", "s3cr3t-not-real", Optional.of("0ld-not-real"));
        assertThat(account.toString()).contains("acme").doesNotContain("s3cr3t").doesNotContain("0ld");
    }

    private static MrSpeedyAccounts accounts(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test.properties", 250))
                .withSources(new EnvConfigSource(env, 300) {})
                .withConverter(Duration.class, 100, new DurationConverter()) // "5s", as in Quarkus
                .withMapping(WebhookConfig.class)
                .build();
        return new MrSpeedyAccounts(config.getConfigMapping(WebhookConfig.class), config);
    }
}
