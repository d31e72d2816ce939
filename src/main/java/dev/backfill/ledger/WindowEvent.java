package dev.backfill.ledger;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One recorded step of a window, as its ledger key spells it, so that a run's progress is read by listing keys
 * (requests grow with windows / 1,000) rather than by reading each record:
 * <pre>_backfill/runs/&lt;runId&gt;/windows/&lt;label&gt;/&lt;epoch millis&gt;-&lt;state&gt;-a&lt;attempts&gt;[-d&lt;millis&gt;][-r&lt;rows&gt;].json</pre>
 * Records are never overwritten: each step is a new key, so concurrent deliveries cannot erase each other's steps.
 *
 * @param durationMillis how long the attempt took, for a finished one
 * @param rows           rows written, for a committed one
 */
public record WindowEvent(String key, String label, Instant at, WindowState state, int attempts, Long durationMillis,
                          Long rows) {

    private static final Pattern NAME = Pattern.compile(
            "(\\d{13})-([a-z]+)-a(\\d{1,9})(?:-d(\\d{1,15}))?(?:-r(\\d{1,18}))?\\.json");

    public WindowEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
    }

    /**
     * The window's state after these events: a committed or superseded outcome is final whatever comes after it (a
     * late duplicate delivery cannot undo it); otherwise the latest step counts, so a retry moves a failed or
     * cancelled window on again.
     */
    public static Optional<WindowEvent> deciding(Collection<WindowEvent> events) {
        Comparator<WindowEvent> byTime = Comparator.comparing(WindowEvent::at)
                .thenComparing(event -> event.state().ordinal());
        Optional<WindowEvent> settled = events.stream().filter(event -> event.state().isFinal()).min(byTime);
        return settled.isPresent() ? settled : events.stream().max(byTime);
    }

    /** The key's last segment for a status record. */
    static String name(WindowStatus status) {
        StringBuilder name = new StringBuilder(String.format("%013d-%s-a%d", status.at().toEpochMilli(),
                status.state().id(), status.attempts()));
        if (status.durationMillis() != null) {
            name.append("-d").append(Math.max(0, status.durationMillis()));
        }
        if (status.rows() != null) {
            name.append("-r").append(status.rows());
        }
        return name.append(".json").toString();
    }

    /** Reads a listed key below {@code windowsPrefix}; empty for a key this ledger did not write. */
    static Optional<WindowEvent> parse(String windowsPrefix, String key) {
        if (!key.startsWith(windowsPrefix)) {
            return Optional.empty();
        }
        String rest = key.substring(windowsPrefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        Matcher matcher = NAME.matcher(rest.substring(slash + 1));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new WindowEvent(key, rest.substring(0, slash),
                    Instant.ofEpochMilli(Long.parseLong(matcher.group(1))), WindowState.of(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)), optionalLong(matcher.group(4)), optionalLong(matcher.group(5))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Long optionalLong(String digits) {
        return digits == null ? null : Long.valueOf(digits);
    }
}
