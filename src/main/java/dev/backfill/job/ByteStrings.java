package dev.backfill.job;

import java.util.Arrays;

/**
 * A set of byte strings, exact: open addressing over 64-bit hashes. Each slot is two adjacent longs, the hash and the
 * value: a value of up to 7 bytes is packed into the second long itself, so that looking it up touches one cache line;
 * a longer one is kept in a growing arena, its place in the second long, and compared whenever hashes meet. For
 * counting distinct values straight from input bytes without a {@code String} per value; its memory is 16 bytes a
 * slot (at most half full) plus the long values' bytes.
 */
final class ByteStrings {

    private static final int INITIAL_SLOTS = 1 << 10;
    private static final int PACKED = 7;
    private static final long IN_ARENA = 0xFFL << 56;

    /** Slot {@code s}: {@code [2s]} the hash (never 0, which marks an empty slot), {@code [2s + 1]} the value. */
    private long[] slots = new long[2 * INITIAL_SLOTS];
    private byte[] arena = new byte[1024];
    private int arenaSize;
    private int size;

    int size() {
        return size;
    }

    /** Adds {@code bytes[from, from + length)}; false if it was there already. */
    boolean add(byte[] bytes, int from, int length) {
        long hash = hash(bytes, from, length);
        long packed = length <= PACKED ? pack(bytes, from, length) : 0;
        int mask = slots.length / 2 - 1;
        for (int slot = (int) (hash ^ (hash >>> 32)) & mask; ; slot = (slot + 1) & mask) {
            long stored = slots[2 * slot];
            if (stored == 0) {
                slots[2 * slot] = hash;
                slots[2 * slot + 1] = length <= PACKED ? packed : inArena(bytes, from, length);
                if (++size * 2 > slots.length / 2) {
                    grow();
                }
                return true;
            }
            if (stored == hash && (length <= PACKED ? slots[2 * slot + 1] == packed
                    : sameInArena(slots[2 * slot + 1], bytes, from, length))) {
                return false;
            }
        }
    }

    /** The length in the top byte, the bytes below it: distinct for distinct values of up to 7 bytes. */
    private static long pack(byte[] bytes, int from, int length) {
        long packed = (long) length << 56;
        for (int i = 0; i < length; i++) {
            packed |= (bytes[from + i] & 0xFFL) << (8 * i);
        }
        return packed;
    }

    private long inArena(byte[] bytes, int from, int length) {
        if (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
        }
        System.arraycopy(bytes, from, arena, arenaSize, length);
        long place = IN_ARENA | ((long) length << 32) | arenaSize;
        arenaSize += length;
        return place;
    }

    private boolean sameInArena(long place, byte[] bytes, int from, int length) {
        if ((place & IN_ARENA) != IN_ARENA || (int) ((place >>> 32) & 0xFFFFFF) != length) {
            return false;
        }
        int offset = (int) place;
        return Arrays.equals(arena, offset, offset + length, bytes, from, from + length);
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length / 2 - 1;
        for (int i = 0; i < old.length; i += 2) {
            long hash = old[i];
            if (hash != 0) {
                int slot = (int) (hash ^ (hash >>> 32)) & mask;
                while (slots[2 * slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[2 * slot] = hash;
                slots[2 * slot + 1] = old[i + 1];
            }
        }
    }

    /** FNV-1a, 64 bits, then a final mix so that nearby values spread over the slots; never 0. */
    private static long hash(byte[] bytes, int from, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = from, end = from + length; i < end; i++) {
            hash = (hash ^ bytes[i]) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }
}
