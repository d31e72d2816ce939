package dev.backfill.infra;

import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every parameter has a default and a constraint CloudFormation enforces before it changes anything (AllowedValues,
 * MinValue and MaxValue, or AllowedPattern), and its default passes that constraint.
 */
final class ParameterRules {

    static final List<String> REQUIRED = List.of("Build", "MaxConcurrency", "ScheduleExpression", "ScheduleTimezone",
            "MemorySize", "WorkerTimeoutSeconds", "UpstreamRequestsPerSecond", "NoncurrentVersionRetentionDays",
            "DlqAlarmTopicArn", "VersionStamp");

    private ParameterRules() {
    }

    static List<String> check(Map<String, Object> parameters) {
        List<String> wrong = new ArrayList<>();
        REQUIRED.stream().filter(name -> !parameters.containsKey(name))
                .forEach(name -> wrong.add("missing parameter " + name));
        parameters.forEach((name, declaration) -> wrong.addAll(check(name, map(declaration))));
        return wrong;
    }

    private static List<String> check(String name, Map<String, Object> parameter) {
        if (!parameter.containsKey("Default")) {
            return List.of("parameter " + name + " has no Default");
        }
        String value = String.valueOf(parameter.get("Default"));
        List<String> allowed = list(parameter.get("AllowedValues")).stream().map(String::valueOf).toList();
        if (!allowed.isEmpty()) {
            return allowed.contains(value) ? List.of()
                    : List.of("parameter " + name + " Default " + value + " is not one of " + allowed);
        }
        if (parameter.containsKey("AllowedPattern")) {
            String pattern = String.valueOf(parameter.get("AllowedPattern"));
            return Pattern.matches(pattern, value) ? List.of()
                    : List.of("parameter " + name + " Default '" + value + "' does not match " + pattern);
        }
        if ("Number".equals(parameter.get("Type")) && parameter.containsKey("MinValue")
                && parameter.containsKey("MaxValue")) {
            BigDecimal number = new BigDecimal(value);
            boolean inRange = number.compareTo(new BigDecimal(String.valueOf(parameter.get("MinValue")))) >= 0
                    && number.compareTo(new BigDecimal(String.valueOf(parameter.get("MaxValue")))) <= 0;
            return inRange ? List.of() : List.of("parameter " + name + " Default " + value + " is out of "
                    + parameter.get("MinValue") + ".." + parameter.get("MaxValue"));
        }
        return List.of("parameter " + name + " needs AllowedValues, MinValue and MaxValue, or AllowedPattern");
    }
}
