package dev.backfill.job;

import java.util.List;
import java.util.Objects;

/**
 * Where a window's inputs live, declared by the job so they can be listed without running it: by {@code plan}'s
 * upstream probe (is the history still there?) and by the {@code stale} reprocess policy (did an input change since
 * the partition was committed?).
 *
 * @param prefixes the object prefixes that hold the window's inputs; empty when the job declares none
 * @param suffix   only keys ending with it are inputs (say {@code .jsonl.gz}); empty for every key
 */
public record InputSpec(List<String> prefixes, String suffix) {

    public InputSpec {
        prefixes = List.copyOf(prefixes);
        Objects.requireNonNull(suffix, "suffix");
    }

    /** No declared inputs: the probe reports the window as unknown and {@code stale} looks at the code version only. */
    public static InputSpec none() {
        return new InputSpec(List.of(), "");
    }

    public static InputSpec under(String prefix, String suffix) {
        return new InputSpec(List.of(prefix), suffix);
    }

    public boolean declared() {
        return !prefixes.isEmpty();
    }

    public boolean matches(String key) {
        return key.endsWith(suffix) && prefixes.stream().anyMatch(key::startsWith);
    }
}
