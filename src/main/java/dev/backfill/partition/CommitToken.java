package dev.backfill.partition;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders the attempts that write a partition. The fence orders runs (a later run always wins); the attempt number
 * orders deliveries of the same message within a run; the nonce breaks the rare tie of two deliveries with the same
 * receive count. Part files carry the token in their names, so cleanup can tell leftovers of older attempts (safe to
 * delete) from the staged parts of a newer attempt still in flight (not its business).
 */
public record CommitToken(long fence, int attempt, String nonce) implements Comparable<CommitToken> {

    private static final Pattern FORMAT = Pattern.compile("f(\\d{1,19})-a(\\d{1,9})-([0-9a-z]{1,16})");
    private static final Pattern IN_PART_KEY =
            Pattern.compile("/(?:_staging-)?part-\\d{5}-(f\\d{1,19}-a\\d{1,9}-[0-9a-z]{1,16})\\.[^/]*$");
    private static final Comparator<CommitToken> ORDER = Comparator.comparingLong(CommitToken::fence)
            .thenComparingInt(CommitToken::attempt)
            .thenComparing(CommitToken::nonce);

    public CommitToken {
        Objects.requireNonNull(nonce, "nonce");
        if (fence < 0 || attempt < 0 || !nonce.matches("[0-9a-z]{1,16}")) {
            throw new IllegalArgumentException("Invalid commit token: fence " + fence + ", attempt " + attempt
                    + ", nonce '" + nonce + "'");
        }
    }

    /** @throws IllegalArgumentException if {@code text} is not a token this class wrote */
    public static CommitToken parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Malformed commit token '" + text + "'");
        }
        try {
            return new CommitToken(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Malformed commit token '" + text + "': number out of range", e);
        }
    }

    /**
     * The token in a part file's key, visible or staged, or empty for keys this protocol did not write (however they
     * look).
     */
    public static Optional<CommitToken> ofPartKey(String key) {
        Matcher m = IN_PART_KEY.matcher(key);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(m.group(1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean isNewerThan(CommitToken other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(CommitToken other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return "f" + fence + "-a" + attempt + "-" + nonce;
    }
}
