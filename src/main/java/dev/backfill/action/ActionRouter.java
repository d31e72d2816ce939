package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The dispatcher's one entry: picks the action a request names ({@code {"action":"status",...}}), or the schedule
 * for an EventBridge Scheduler event ({@code {"scheduledTime":...}}), checks the request and runs it.
 */
public final class ActionRouter {

    private final Map<String, Action<?>> actions;
    private final Action<?> schedule;

    public ActionRouter(List<Action<?>> actions, Action<?> schedule) {
        this.actions = actions.stream().collect(Collectors.toMap(Action::name, Function.identity(), (a, b) -> {
            throw new IllegalArgumentException("Two actions are named " + a.name());
        }, TreeMap::new));
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /** The actions' names, sorted; the schedule's event names none. */
    public Set<String> names() {
        return Collections.unmodifiableSet(actions.keySet());
    }

    /** @throws InvalidRequestException if the request is refused; nothing was written or sent */
    public Object handle(Map<String, ?> request) {
        if (request == null || request.isEmpty()) {
            throw new InvalidRequestException("Empty request: expected {\"action\":...} (one of " + actions.keySet()
                    + ") or a schedule's {\"scheduledTime\":...}");
        }
        if (!request.containsKey("action") && request.containsKey("scheduledTime")) {
            return run(schedule, new ActionInput(schedule.name(), request));
        }
        Object name = request.get("action");
        if (!(name instanceof String text)) {
            throw new InvalidRequestException(name == null ? "Missing field 'action'; one of " + actions.keySet()
                    : "Field 'action' must be a string, not " + name.getClass().getSimpleName());
        }
        Action<?> action = actions.get(text);
        if (action == null) {
            throw new InvalidRequestException("Unknown action '" + InvalidRequestException.shown(text)
                    + "'; supported: " + actions.keySet());
        }
        return run(action, new ActionInput(text, request));
    }

    private static <Q> Object run(Action<Q> action, ActionInput input) {
        return action.run(action.parse(input));
    }
}
