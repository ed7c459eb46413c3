package io.trackline.pollers.quota;

import io.trackline.events.Carrier;
import io.trackline.pollers.config.CarrierAccounts;
import io.trackline.pollers.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The accounts the pollers have credentials for, and a fingerprint of each credential: a stopped account stays
 * stopped while its credential is the one the carrier refused, and resumes once the configuration holds another. The
 * fingerprint is the first 16 hex digits of SHA-256 over carrier, account and credential: it tells two credentials
 * apart and gives nothing of the value away.
 */
final class AccountCredentials {

    /** The fingerprint of an account without a configured credential. */
    static final String NONE = "none";

    private final Map<Carrier, Map<String, Secret>> credentials;

    AccountCredentials(Map<Carrier, Map<String, Secret>> credentials) {
        this.credentials = Map.copyOf(credentials);
    }

    static AccountCredentials from(CarrierAccounts accounts) {
        return new AccountCredentials(Map.of(
                Carrier.ALL24, secrets(accounts.all24().accounts(), CarrierAccounts.ApiKeyAccount::apiKey),
                Carrier.EXPRESS247, secrets(accounts.express247().accounts(), CarrierAccounts.ApiKeyAccount::apiKey),
                Carrier.MRSPEEDY, secrets(accounts.mrspeedy().accounts(), CarrierAccounts.TokenAccount::authToken)));
    }

    private static <A> Map<String, Secret> secrets(Map<String, A> accounts, Function<A, Secret> key) {
        Map<String, Secret> secrets = new HashMap<>();
        accounts.forEach((name, account) -> secrets.put(name, key.apply(account)));
        return secrets;
    }

    Set<String> accounts(Carrier carrier) {
        return new TreeSet<>(credentials.getOrDefault(carrier, Map.of()).keySet());
    }

    String fingerprint(AccountId id) {
        return secret(id).map(secret -> digest(id, secret.reveal())).orElse(NONE);
    }

    /** The reason with the account's credential masked, should a caller have let it into the text. */
    String mask(AccountId id, String reason) {
        Optional<Secret> secret = secret(id);
        if (secret.isEmpty() || secret.get().isBlank() || reason == null) {
            return reason;
        }
        return reason.replace(secret.get().reveal(), secret.get().toString());
    }

    private Optional<Secret> secret(AccountId id) {
        return Optional.ofNullable(
                credentials.getOrDefault(id.carrier(), Map.of()).get(id.account()));
    }

    private static String digest(AccountId id, String credential) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha256.digest(
                    (id.carrier().id() + '\n' + id.account() + '\n' + credential).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
