package io.trackline.ingest.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.Source;
import io.trackline.ingest.config.MrSpeedyAccounts;
import io.trackline.ingest.config.WebhookConfig;
import io.trackline.ingest.service.CallbackRejectedException.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Accepts a MrSpeedy order callback: the account must be known, the signature must match the raw body, the body
 * must be a JSON order, and Kafka must have stored the envelope before the caller hears 200.
 *
 * <p>MrSpeedy's signature has no timestamp and no event id, so a replayed callback verifies again; that is harmless
 * because the envelope carries the {@link io.trackline.events.ContentDigest} of the exact bytes, equal for a resend,
 * and the normalizer's stable event ids drop what it has already emitted; a real change has other bytes (at least
 * its {@code event_datetime}).
 */
@ApplicationScoped
public class MrSpeedyCallbackService {

    private static final String CARRIER = Carrier.MRSPEEDY.id();

    private final WebhookConfig config;
    private final MrSpeedyAccounts accounts;
    private final RawTopic publisher;
    private final WebhookMetrics metrics;
    private final Clock clock;

    public MrSpeedyCallbackService(
            WebhookConfig config, MrSpeedyAccounts accounts, RawTopic publisher, WebhookMetrics metrics) {
        this.config = config;
        this.accounts = accounts;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = Clock.systemUTC();
    }

    /** What the caller learns of an accepted callback. */
    public record Accepted(String requestId, String shipmentRef, String contentDigest) {}

    /**
     * Rejects a callback by its announced length, before its body is read.
     *
     * @throws CallbackRejectedException (413) when {@code contentLength} exceeds the limit
     */
    public void checkAnnouncedLength(String account, long contentLength) {
        if (contentLength > config.maxBodyBytes()) {
            String accountTag = accountTag(account);
            metrics.received(CARRIER, accountTag);
            throw rejected(accountTag, tooLarge());
        }
    }

    public Uni<Accepted> accept(
            String account,
            Optional<String> contentType,
            Optional<String> signature,
            String requestId,
            Map<String, String> headers,
            byte[] body) {
        Optional<MrSpeedyAccounts.Account> settings = accounts.find(account);
        String accountTag = settings.isPresent() ? account : "unknown";
        metrics.received(CARRIER, accountTag);
        RawEnvelope envelope;
        try {
            envelope = verify(settings, contentType, signature, requestId, headers, body);
        } catch (CallbackRejectedException e) {
            return Uni.createFrom().failure(rejected(accountTag, e));
        }
        return publish(envelope, accountTag);
    }

    private RawEnvelope verify(
            Optional<MrSpeedyAccounts.Account> settings,
            Optional<String> contentType,
            Optional<String> signature,
            String requestId,
            Map<String, String> headers,
            byte[] body) {
        if (settings.isEmpty()) {
            // The name is not echoed: the answer says only what is wrong.
            throw new CallbackRejectedException(Reason.UNKNOWN_ACCOUNT, "no such MrSpeedy account");
        }
        MrSpeedyAccounts.Account account = settings.get();
        if (contentType.isPresent() && !isJson(contentType.get())) {
            throw new CallbackRejectedException(Reason.UNSUPPORTED_MEDIA_TYPE, "callbacks must be application/json");
        }
        if (body.length > config.maxBodyBytes()) {
            throw tooLarge();
        }
        if (signature.isEmpty() || signature.get().isBlank()) {
            throw new CallbackRejectedException(Reason.MISSING_SIGNATURE, "X-DV-Signature header is required");
        }
        long start = System.nanoTime();
        Optional<SignatureVerifier.Match> match =
                SignatureVerifier.verify(body, signature.get(), account.secret(), account.previousSecret());
        metrics.verification(CARRIER, Duration.ofNanos(System.nanoTime() - start));
        if (match.isEmpty()) {
            throw new CallbackRejectedException(Reason.INVALID_SIGNATURE, "X-DV-Signature does not match the body");
        }
        metrics.secretMatched(CARRIER, account.name(), match.get());
        // JSON is UTF-8 (RFC 8259); a verified body in another encoding is refused rather than stored garbled. A raw
        // 0x00 byte, or any C0 control byte but tab, LF and CR, never appears in UTF-8 JSON text, and UTF-16 or UTF-32
        // always has some: such a body may be well-formed UTF-8 byte for byte, and Jackson would detect its encoding
        // and read it, but the normalizer would refuse it. After this check Jackson can only ever detect UTF-8.
        if (!RawEnvelope.isUtf8JsonText(body)) {
            throw new CallbackRejectedException(Reason.INVALID_JSON, "body is not UTF-8 JSON");
        }
        String orderId = orderId(body);
        return RawEnvelope.of(
                Carrier.MRSPEEDY,
                account.name(),
                Source.WEBHOOK,
                orderId,
                OffsetDateTime.now(clock),
                requestId,
                contentType.orElse("application/json"),
                headers,
                body);
    }

    private Uni<Accepted> publish(RawEnvelope envelope, String accountTag) {
        long start = System.nanoTime();
        metrics.enter();
        // The record's value is the body as it came; the envelope's fields travel as CloudEvents headers. The wait
        // for the acknowledgement is bounded by the producer (RawPublisher: delivery.timeout.ms from
        // trackline.webhooks.publish-timeout), not by a timer per callback.
        return publisher.publish(envelope).onItemOrFailure().transformToUni((ok, failure) -> {
            metrics.exit();
            metrics.published(
                    CARRIER, failure == null ? "acked" : "failed", Duration.ofNanos(System.nanoTime() - start));
            if (failure == null) {
                metrics.accepted(CARRIER, accountTag);
                return Uni.createFrom()
                        .item(new Accepted(envelope.requestId(), envelope.shipmentRef(), envelope.contentDigest()));
            }
            // The key names the order, never the payload; the secret is not in reach here.
            Log.warnf(
                    "callback %s for %s not stored in Kafka within %s: %s",
                    envelope.requestId(), envelope.key(), config.publishTimeout(), failure.toString());
            // A failed Uni, not a throw: Mutiny would wrap a throw here with the producer's failure.
            return Uni.createFrom()
                    .failure(rejected(
                            accountTag,
                            new CallbackRejectedException(
                                    Reason.UNAVAILABLE, "the callback could not be stored now; retry later")));
        });
    }

    private CallbackRejectedException rejected(String accountTag, CallbackRejectedException e) {
        metrics.rejected(CARRIER, accountTag, e.reason());
        return e;
    }

    private String accountTag(String account) {
        return accounts.find(account).isPresent() ? account : "unknown";
    }

    private CallbackRejectedException tooLarge() {
        return new CallbackRejectedException(
                Reason.PAYLOAD_TOO_LARGE, "callback body exceeds " + config.maxBodyBytes() + " bytes");
    }

    /**
     * Reads the body once: the whole of it must be one JSON value (else 400), and its {@code order.order_id} a number or
     * a short plain string ({@link CallbackJson}). No tree is built: the record's value is the bytes.
     */
    static String orderId(byte[] body) {
        return CallbackJson.orderId(body);
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }
}
