package io.trackline.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the callback receiver, under {@code trackline.webhooks}. See docs/webhooks.md. */
@ConfigMapping(prefix = "trackline.webhooks")
public interface WebhookConfig {

    /** Largest callback body accepted, in bytes; larger ones get 413. */
    @WithDefault("262144")
    int maxBodyBytes();

    /** How long to wait for Kafka to acknowledge a callback before answering 503. */
    @WithDefault("5s")
    Duration publishTimeout();

    /**
     * MrSpeedy accounts by Trackline's name for them (the {@code {account}} path segment), as written in a
     * properties file. Read through {@link MrSpeedyAccounts}, which also resolves {@link #mrspeedyAccountNames()}.
     */
    @WithName("mrspeedy.accounts")
    Map<String, MrSpeedyAccount> mrspeedyAccounts();

    /**
     * Names of accounts whose secrets come from environment variables only. An environment variable cannot say
     * where an account name ends ({@code ..._ACCOUNTS_ACME_TH_SECRET}: account {@code acme-th}, {@code acme_th}
     * or {@code acme.th}?), so SmallRye Config silently skips such variables unless the name is declared here:
     * {@code TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNT_NAMES=acme-th,beta}.
     */
    @WithName("mrspeedy.account-names")
    Optional<List<String>> mrspeedyAccountNames();

    interface MrSpeedyAccount {

        /** The account's Callback Secret Key (from MrSpeedy's personal cabinet). */
        String secret();

        /** The secret before a rotation, accepted until removed from the configuration. */
        Optional<String> previousSecret();
    }
}
