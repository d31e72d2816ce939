package dev.backfill.infra;

import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static dev.backfill.infra.Template.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The work queue's visibility timeout against the worker's timeout. AWS advises at least six times the function
 * timeout ("Configuring an Amazon SQS queue to trigger a Lambda function"), so that a window still running is never
 * delivered a second time. The timeout may be a parameter: then the rule must hold for every value it allows.
 */
final class QueueTimeouts {

    static final int SQS_DEFAULT_VISIBILITY_SECONDS = 30;
    static final int SQS_MAX_VISIBILITY_SECONDS = 43_200;

    private QueueTimeouts() {
    }

    static List<String> check(Template t, String worker, String queue) {
        Object timeout = t.function(worker).get("Timeout");
        Object visibility = t.properties(queue).getOrDefault("VisibilityTimeout", SQS_DEFAULT_VISIBILITY_SECONDS);
        List<Integer> timeouts = possibleValues(t, timeout);
        if (timeouts.isEmpty()) {
            return List.of(worker + " Timeout " + timeout + " has no upper bound to compare the visibility with");
        }
        List<String> wrong = new ArrayList<>();
        for (int seconds : timeouts) {
            Optional<Integer> visible = visibilityFor(t, visibility, timeout, seconds);
            if (visible.isEmpty()) {
                wrong.add(queue + " VisibilityTimeout " + visibility + " cannot be evaluated for Timeout " + seconds);
            } else if (visible.get() < 6 * seconds || visible.get() > SQS_MAX_VISIBILITY_SECONDS) {
                wrong.add(queue + " VisibilityTimeout " + visible.get() + " s must be at least 6 x the worker's Timeout "
                        + seconds + " s = " + 6 * seconds + " s (and at most " + SQS_MAX_VISIBILITY_SECONDS + ")");
            }
        }
        return wrong;
    }

    /** The values an integer property may take: itself, or every value its parameter allows, or the maximum. */
    private static List<Integer> possibleValues(Template t, Object value) {
        Optional<Integer> constant = integer(value);
        if (constant.isPresent()) {
            return List.of(constant.get());
        }
        Optional<String> parameter = ref(value);
        if (parameter.isEmpty()) {
            return List.of();
        }
        var declared = map(t.section("Parameters").get(parameter.get()));
        List<Integer> allowed = list(declared.get("AllowedValues")).stream().map(QueueTimeouts::integer)
                .flatMap(Optional::stream).toList();
        return allowed.isEmpty() ? integer(declared.get("MaxValue")).map(List::of).orElse(List.of()) : allowed;
    }

    /** The visibility timeout when the worker's timeout is {@code seconds}: a constant or a mapping lookup. */
    private static Optional<Integer> visibilityFor(Template t, Object visibility, Object timeout, int seconds) {
        Optional<Integer> constant = integer(visibility);
        if (constant.isPresent()) {
            return constant;
        }
        List<Object> lookup = list(map(visibility).get("Fn::FindInMap"));
        if (lookup.size() != 3 || ref(lookup.get(1)).isEmpty() || !ref(lookup.get(1)).equals(ref(timeout))) {
            return Optional.empty();
        }
        var mapping = map(t.section("Mappings").get(String.valueOf(lookup.get(0))));
        return integer(map(mapping.get(String.valueOf(seconds))).get(String.valueOf(lookup.get(2))));
    }

    static Optional<Integer> integer(Object value) {
        if (value instanceof Integer number) {
            return Optional.of(number);
        }
        if (value instanceof String text && text.matches("\\d{1,9}")) {
            return Optional.of(Integer.parseInt(text));
        }
        return Optional.empty();
    }
}
