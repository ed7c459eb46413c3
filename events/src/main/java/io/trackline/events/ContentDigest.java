package io.trackline.events;

import java.util.HexFormat;

/** {@code sha-256:<hex>} of the exact payload bytes: equal bytes, equal digest, so resent payloads are recognised. */
public final class ContentDigest {

    public static final String PREFIX = "sha-256:";

    private ContentDigest() {}

    public static String of(byte[] payload) {
        return PREFIX + HexFormat.of().formatHex(EventIds.sha256(payload));
    }
}
