package io.trackline.ingest.config;

import io.trackline.events.ShipmentIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * The configured MrSpeedy accounts, resolved once at startup: those of {@link WebhookConfig#mrspeedyAccounts()} and
 * those named in {@link WebhookConfig#mrspeedyAccountNames()}, whose secrets are looked up by their full property
 * name (so {@code TRACKLINE_WEBHOOKS_MRSPEEDY_ACCOUNTS_ACME_TH_SECRET} finds account {@code acme-th}). A declared
 * account without a secret, or an invalid account name, stops the application: a silent 404 for a whole account
 * would only show as the carrier's retry e-mail a day later.
 */
@ApplicationScoped
public class MrSpeedyAccounts {

    static final String ACCOUNTS_PREFIX = "trackline.webhooks.mrspeedy.accounts.";

    /** One account's secrets. {@code toString} leaves them out. */
    public record Account(String name, String secret, Optional<String> previousSecret) {

        @Override
        public String toString() {
            return "Account[" + name + ", previous secret " + (previousSecret.isPresent() ? "set" : "unset") + "]";
        }
    }

    private final Map<String, Account> accounts;

    @Inject
    public MrSpeedyAccounts(WebhookConfig webhooks, Config config) {
        Map<String, Account> resolved = new TreeMap<>();
        webhooks.mrspeedyAccounts()
                .forEach((name, account) -> resolved.put(
                        name,
                        new Account(
                                name, account.secret(), account.previousSecret().filter(s -> !s.isBlank()))));
        for (String name : new TreeSet<>(webhooks.mrspeedyAccountNames().orElse(List.of()))) {
            String trimmed = name.strip();
            if (trimmed.isEmpty() || resolved.containsKey(trimmed)) {
                continue;
            }
            String secret = config.getOptionalValue(ACCOUNTS_PREFIX + trimmed + ".secret", String.class)
                    .orElseThrow(() -> new IllegalStateException("MrSpeedy account '" + trimmed
                            + "' is listed in trackline.webhooks.mrspeedy.account-names but has no secret ("
                            + ACCOUNTS_PREFIX + trimmed + ".secret or " + envName(trimmed, "SECRET") + ")"));
            Optional<String> previous = config.getOptionalValue(
                            ACCOUNTS_PREFIX + trimmed + ".previous-secret", String.class)
                    .filter(s -> !s.isBlank());
            resolved.put(trimmed, new Account(trimmed, secret, previous));
        }
        for (Account account : resolved.values()) {
            if (!ShipmentIds.ACCOUNT.matcher(account.name()).matches()) {
                throw new IllegalStateException("invalid MrSpeedy account name '" + account.name()
                        + "': use letters, digits, '-' and '_' (at most 64)");
            }
            if (account.secret().isBlank()) {
                throw new IllegalStateException("MrSpeedy account '" + account.name() + "' has an empty secret");
            }
        }
        this.accounts = Map.copyOf(resolved);
    }

    public Optional<Account> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(accounts.get(name));
    }

    /** The configured account names, for logs and metrics; never the secrets. */
    public Set<String> names() {
        return new TreeSet<>(accounts.keySet());
    }

    static String envName(String account, String property) {
        return (ACCOUNTS_PREFIX + account + '.').toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + property;
    }
}
