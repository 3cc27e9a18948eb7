package org.kafkatrain.contracts;

import java.nio.charset.StandardCharsets;

/**
 * An order-independent fingerprint of a set of sample ids: the sum, modulo 2^64, of a 64-bit hash of each id. A step
 * event carries its batch's digest, so an audit can tell from the events alone whether an epoch trained exactly the
 * samples a topic holds: equal counts and equal digest sums leave no room for a sample trained twice and another
 * skipped, except by a hash collision (odds about 2^-64 per pair).
 */
public final class SampleDigest {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private SampleDigest() {}

    /** The hash of one id: FNV-1a over its UTF-8 bytes, then SplitMix64's finalizer so that sums mix well. */
    public static long of(String id) {
        long h = FNV_OFFSET;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** The digest as events carry it: 16 hex digits (a JSON number would lose bits in JavaScript). */
    public static String hex(long digest) {
        return String.format("%016x", digest);
    }

    public static long parse(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }
}
