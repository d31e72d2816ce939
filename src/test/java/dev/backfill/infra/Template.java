package dev.backfill.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded CloudFormation template, read the way the SAM transform and CloudFormation would: functions see the
 * {@code Globals} they inherit, intrinsic functions are maps such as {@code {"Ref": "X"}}. Mutable, so that a test
 * can break a copy on purpose.
 */
final class Template {

    static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";

    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    static Template load(Path file) {
        return new Template(CloudFormationYaml.load(file));
    }

    static Template parse(String yaml) {
        return new Template(CloudFormationYaml.parse(yaml));
    }

    Map<String, Object> section(String name) {
        return map(root.get(name));
    }

    Map<String, Object> resources() {
        return section("Resources");
    }

    boolean hasResource(String id) {
        return resources().containsKey(id);
    }

    String type(String id) {
        return String.valueOf(map(resources().get(id)).get("Type"));
    }

    /** The resource's {@code Properties}, the live map: changing it changes the template. */
    Map<String, Object> properties(String id) {
        Map<String, Object> resource = map(resources().get(id));
        return map(resource.computeIfAbsent("Properties", key -> new LinkedHashMap<>()));
    }

    /** Logical ids of the resources of this type, in template order. */
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** A serverless function's properties merged over {@code Globals.Function}, environment variables included. */
    Map<String, Object> function(String id) {
        Map<String, Object> globals = map(section("Globals").get("Function"));
        Map<String, Object> effective = new LinkedHashMap<>(globals);
        effective.putAll(properties(id));
        Map<String, Object> variables = new LinkedHashMap<>(environment(globals));
        variables.putAll(environment(properties(id)));
        effective.put("Environment", Map.of("Variables", variables));
        return effective;
    }

    /** The serverless function whose {@code QUARKUS_LAMBDA_HANDLER} is this handler name. */
    Optional<String> functionWithHandler(String handler) {
        return ofType(SERVERLESS_FUNCTION).stream()
                .filter(id -> handler.equals(environment(function(id)).get("QUARKUS_LAMBDA_HANDLER")))
                .findFirst();
    }

    static Map<String, Object> environment(Map<String, Object> functionProperties) {
        return map(map(functionProperties.get("Environment")).get("Variables"));
    }

    /** The map at {@code value}, or an empty one when there is none. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }

    /** The list at {@code value}; a single value is a list of one, as in IAM's Action and Resource. */
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }

    /** The logical id that {@code {"Ref": id}} names, if the value is one. */
    static Optional<String> ref(Object value) {
        Object target = map(value).get("Ref");
        return target instanceof String id ? Optional.of(id) : Optional.empty();
    }

    /** True if the value names the function {@code id}: {@code !Ref id}, {@code !GetAtt id.Arn} or its alias. */
    static boolean invokes(Object value, String id) {
        return ref(value).filter(target -> target.equals(id) || target.equals(id + ".Alias")).isPresent()
                || getAtt(value, "Arn").equals(Optional.of(id));
    }

    /** The logical id that {@code {"Fn::GetAtt": [id, attribute]}} names, if the value is one. */
    static Optional<String> getAtt(Object value, String attribute) {
        List<Object> args = list(map(value).get("Fn::GetAtt"));
        return args.size() == 2 && attribute.equals(args.get(1)) ? Optional.of(String.valueOf(args.get(0)))
                : Optional.empty();
    }

    /**
     * A reference as {@code Fn::Sub} would spell it: {@code {"Ref": "X"}} is {@code ${X}}, a GetAtt is
     * {@code ${X.Arn}}, a Sub is its string; anything else is shown as is.
     */
    static String asSub(Object value) {
        Optional<String> ref = ref(value);
        if (ref.isPresent()) {
            return "${" + ref.get() + "}";
        }
        List<Object> getAtt = list(map(value).get("Fn::GetAtt"));
        if (getAtt.size() == 2) {
            return "${" + getAtt.get(0) + "." + getAtt.get(1) + "}";
        }
        Object sub = map(value).get("Fn::Sub");
        if (sub != null) {
            return String.valueOf(sub instanceof List<?> withVariables ? withVariables.get(0) : sub);
        }
        return String.valueOf(value);
    }
}
