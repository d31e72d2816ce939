package dev.backfill.config;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Short random lowercase hex strings, {@value #BYTES} random bytes each: the nonce of a run id and of a commit
 * attempt. Each call draws from a {@link SecureRandom} made for that call, so no random state exists before the first
 * call: none is fixed into a native image's heap at build time, and none is captured in a SnapStart snapshot and
 * handed to every execution environment resumed from it (Lambda Developer Guide, "Handling uniqueness with Lambda
 * SnapStart"). Thread-safe.
 */
public final class SecureNonces implements Supplier<String> {

    /** 24 bits: a tie-breaker next to a timestamp or a fence, not an identifier on its own. */
    public static final int BYTES = 3;
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public String get() {
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
