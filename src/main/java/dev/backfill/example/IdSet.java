package dev.backfill.example;

import java.util.Arrays;

/**
 * A set of the dense ids of {@link ByteStringIds}: a small hash set while it is sparse, a bitset once that takes less
 * memory, so that a type of a few users costs a few bytes and a type of most users one bit a user (20,000 users:
 * 2.5 KiB, which stays in the L1 cache where a set of their bytes took about 1 MiB).
 */
final class IdSet {

    /** The sparse form, open addressing: id + 1 in each used slot, 0 in an empty one; null once dense. */
    private int[] table = new int[16];
    /** The dense form: bit {@code id} set when {@code id} is in the set; null while sparse. */
    private long[] bits;
    private int size;

    int size() {
        return size;
    }

    /**
     * Adds {@code id}; {@code ids} is how many ids there are so far (any id is below it), which sizes the bitset.
     */
    void add(int id, int ids) {
        long[] words = bits;
        if (words != null) {
            int word = id >>> 6;
            if (word >= words.length) {
                words = bits = Arrays.copyOf(words, Math.max(2 * words.length, (ids >>> 6) + 1));
            }
            long bit = 1L << id; // the shift takes id mod 64
            if ((words[word] & bit) == 0) {
                words[word] |= bit;
                size++;
            }
            return;
        }
        int mask = table.length - 1;
        for (int slot = spread(id) & mask; ; slot = (slot + 1) & mask) {
            int stored = table[slot];
            if (stored == id + 1) {
                return;
            }
            if (stored == 0) {
                table[slot] = id + 1;
                if (++size * 2 > table.length) {
                    grow(ids);
                }
                return;
            }
        }
    }

    /** The id times 2^32 / φ, its high half folded onto its low half: consecutive ids land far apart. */
    private static int spread(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Doubles the hash set, or turns it into a bitset once one of every id would be no larger (4 bytes a slot). */
    private void grow(int ids) {
        int[] old = table;
        if (2L * old.length * Integer.SIZE >= ids) {
            bits = new long[(ids >>> 6) + 1];
            for (int stored : old) {
                if (stored != 0) {
                    bits[(stored - 1) >>> 6] |= 1L << (stored - 1);
                }
            }
            table = null;
            return;
        }
        table = new int[2 * old.length];
        size = 0;
        for (int stored : old) {
            if (stored != 0) {
                add(stored - 1, ids);
            }
        }
    }
}
