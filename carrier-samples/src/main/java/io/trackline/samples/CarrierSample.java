package io.trackline.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The carriers' payloads as their documents ({@code shared/carrier-docs/}) show them, and the few variants the tests
 * need, kept once for every module that parses, receives, serves or compares carrier JSON. Each is a resource next
 * to this class, read byte for byte: tests depend on exact bytes (Thai text, whitespace, a missing final newline), so
 * edit a sample only to follow its document, and regenerate what is derived from it (ingest-webhooks' committed
 * signatures).
 */
public enum CarrierSample {

    /** all24 API, "Order Tracking" by all24 tracking number: the answer for {@code HSBY37H7}, history newest first. */
    ALL24_TRACKING("all24-tracking-example.json"),

    /**
     * 247Express tracking API: an order pending after a failed delivery (delay code 2), built from the document's
     * field list (its "Example" shows no body), plus {@code someFieldThe247DocDoesNotName}, a field the document does
     * not name, which a reader must ignore.
     */
    EXPRESS247_TRACKING("247express-tracking.json"),

    /**
     * MrSpeedy Business API: the callback body shown with "Example of a callback handler" (order 1250032, status
     * available).
     */
    MRSPEEDY_CALLBACK("mrspeedy-callback-example.json"),

    /** MrSpeedy Business API, "List of orders": the document's answer example. */
    MRSPEEDY_ORDERS("mrspeedy-orders-example.json"),

    /** A MrSpeedy callback shaped as the document's, order 1250032 active, with Thai addresses and names, indented. */
    MRSPEEDY_CALLBACK_THAI("mrspeedy-callback-thai.json"),

    /** {@link #MRSPEEDY_CALLBACK_THAI} without its whitespace: the same callback as different bytes. */
    MRSPEEDY_CALLBACK_THAI_COMPACT("mrspeedy-callback-thai-compact.json"),

    /** A MrSpeedy callback (order 1250099, completed) with fields the document does not name, at every level. */
    MRSPEEDY_CALLBACK_UNKNOWN_FIELDS("mrspeedy-callback-unknown-fields.json");

    private final String fileName;

    CarrierSample(String fileName) {
        this.fileName = fileName;
    }

    /** The resource's file name, next to this class (also the name of anything derived from it). */
    public String fileName() {
        return fileName;
    }

    /** The sample's exact bytes. */
    public byte[] bytes() {
        try (InputStream in = CarrierSample.class.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalStateException("carrier sample " + fileName + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample as text (every sample is UTF-8). */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
