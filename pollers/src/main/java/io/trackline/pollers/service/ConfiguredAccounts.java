package io.trackline.pollers.service;

import io.trackline.events.Carrier;
import io.trackline.pollers.config.CarrierAccounts;
import io.trackline.pollers.config.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The carrier accounts this service has credentials for ({@code trackline.pollers.<carrier>.accounts.<name>.*}): a
 * subscription of any other account could never be polled, so it is refused. Only the names are read here.
 */
@ApplicationScoped
public class ConfiguredAccounts {

    private final Map<Carrier, Set<String>> names;

    @Inject
    public ConfiguredAccounts(CarrierAccounts accounts) {
        this.names = Map.of(
                Carrier.ALL24, named(accounts.all24().accounts(), CarrierAccounts.ApiKeyAccount::apiKey),
                Carrier.EXPRESS247, named(accounts.express247().accounts(), CarrierAccounts.ApiKeyAccount::apiKey),
                Carrier.MRSPEEDY, named(accounts.mrspeedy().accounts(), CarrierAccounts.TokenAccount::authToken));
    }

    /** For tests: exactly these names. */
    ConfiguredAccounts(Map<Carrier, Set<String>> names) {
        this.names = Map.copyOf(names);
    }

    public boolean has(Carrier carrier, String account) {
        return names.getOrDefault(carrier, Set.of()).contains(account);
    }

    /** The configured account names of a carrier, sorted. */
    public Set<String> of(Carrier carrier) {
        return names.getOrDefault(carrier, Set.of());
    }

    private static <A> Set<String> named(Map<String, A> accounts, Function<A, Secret> credential) {
        Set<String> named = new TreeSet<>();
        accounts.forEach((name, account) -> {
            Secret secret = credential.apply(account);
            if (secret != null && !secret.isBlank()) {
                named.add(name);
            }
        });
        return Collections.unmodifiableSet(named);
    }
}
