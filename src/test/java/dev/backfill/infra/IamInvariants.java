package dev.backfill.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Least privilege, checked statement by statement: no Allow names every action or every resource, each Allow is
 * scoped to resources of this template (S3 object grants to a prefix of the bucket), and every action is a real one.
 */
final class IamInvariants {

    /** {@code ${Logical}} or {@code ${Logical.Attribute}} inside a Sub string. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)(\\.[A-Za-z]+)?}");
    private static final Pattern WHOLE_BUCKET_OBJECTS = Pattern.compile("\\$\\{([A-Za-z0-9]+)\\.Arn}/\\*");

    private IamInvariants() {
    }

    static List<String> noWildcardAction(Template t) {
        List<String> wrong = new ArrayList<>();
        for (PolicyStatement statement : PolicyStatement.all(t)) {
            if (!statement.allows()) {
                continue;
            }
            if (statement.body().containsKey("NotAction")) {
                wrong.add(statement.where() + " allows NotAction " + statement.body().get("NotAction"));
            }
            statement.actions().stream().filter(action -> action.contains("*"))
                    .forEach(action -> wrong.add(statement.where() + " allows the wildcard action " + action));
        }
        return wrong;
    }

    static List<String> noWildcardResource(Template t) {
        List<String> wrong = new ArrayList<>();
        for (PolicyStatement statement : PolicyStatement.all(t)) {
            if (!statement.allows() || statement.trust()) {
                continue;
            }
            if (statement.body().containsKey("NotResource") || statement.resources().isEmpty()) {
                wrong.add(statement.where() + " " + statement.actions() + " must name its Resource");
            }
            for (Object resource : statement.resources()) {
                String arn = Template.asSub(resource);
                if (!referencesResourceOf(t, arn) && !scopedParameter(t, resource, statement.actions())) {
                    wrong.add(statement.where() + " allows " + statement.actions() + " on " + arn
                            + ", which is not a resource of this stack");
                }
                Matcher objects = WHOLE_BUCKET_OBJECTS.matcher(arn);
                if (objects.matches() && "AWS::S3::Bucket".equals(t.type(objects.group(1)))) {
                    wrong.add(statement.where() + " allows " + statement.actions() + " on every object of "
                            + objects.group(1) + "; name a prefix such as tables/*");
                }
            }
        }
        return wrong;
    }

    static List<String> realActions(Template t) {
        List<String> wrong = new ArrayList<>();
        for (PolicyStatement statement : PolicyStatement.all(t)) {
            for (String action : statement.actions()) {
                boolean broadDeny = !statement.allows() && IamActions.isServiceWildcard(action);
                if (!IamActions.isReal(action) && !broadDeny) {
                    wrong.add(statement.where() + " names " + action + ", which is not a real IAM action"
                            + " (or is missing from IamActions)");
                }
            }
        }
        return wrong;
    }

    /**
     * The worker reads old input versions ({@code inputsAsOf}) and nothing else's: {@code s3:GetObjectVersion} only on
     * {@code raw/*}, and {@code s3:ListBucketVersions} only under a {@code StringLike} condition on {@code s3:prefix}
     * whose every value lies under {@code raw/}. Without it a worker could read any past version of the tables or the
     * ledger.
     */
    static List<String> workerInputVersionsOnly(Template t) {
        List<String> wrong = new ArrayList<>();
        for (PolicyStatement statement : PolicyStatement.all(t)) {
            if (!statement.allows() || !statement.owner().equals("WorkerRole")) {
                continue;
            }
            if (statement.actions().contains("s3:GetObjectVersion")) {
                statement.resources().stream().map(Template::asSub).filter(arn -> !arn.endsWith("}/raw/*"))
                        .forEach(arn -> wrong.add(statement.where() + " allows s3:GetObjectVersion on " + arn
                                + "; the worker reads old versions of raw/* only"));
            }
            if (statement.actions().contains("s3:ListBucketVersions")) {
                Object prefixes = Template.map(Template.map(statement.body().get("Condition")).get("StringLike"))
                        .get("s3:prefix");
                List<Object> values = Template.list(prefixes);
                if (values.isEmpty() || values.stream().anyMatch(value -> !String.valueOf(value).startsWith("raw/"))) {
                    wrong.add(statement.where() + " allows s3:ListBucketVersions with s3:prefix " + values
                            + "; it must be a StringLike condition on prefixes under raw/");
                }
            }
        }
        return wrong;
    }

    /** How many actions the template's statements name, counting repeats. */
    static long actionCount(Template t) {
        return PolicyStatement.all(t).stream().mapToLong(statement -> statement.actions().size()).sum();
    }

    /**
     * A resource given as a parameter whose AllowedPattern admits only ARNs of the actions' service, without
     * wildcards: a secret the operator names ({@code ApiKeySecretArn}).
     */
    private static boolean scopedParameter(Template t, Object resource, List<String> actions) {
        Optional<String> parameter = Template.ref(resource).filter(t.section("Parameters")::containsKey);
        if (parameter.isEmpty() || actions.isEmpty()) {
            return false;
        }
        String pattern = String.valueOf(Template.map(t.section("Parameters").get(parameter.get()))
                .get("AllowedPattern"));
        return actions.stream().map(action -> action.substring(0, Math.max(0, action.indexOf(':'))))
                .allMatch(service -> pattern.contains(":" + service + ":")
                        && !Pattern.matches(pattern, "arn:aws:" + service + ":us-east-1:123456789012:*")
                        && !Pattern.matches(pattern, "arn:aws:" + service + ":us-east-1:123456789012:secret:*"));
    }

    private static boolean referencesResourceOf(Template t, String arn) {
        Matcher reference = REFERENCE.matcher(arn);
        while (reference.find()) {
            if (t.hasResource(reference.group(1))) {
                return true;
            }
        }
        return false;
    }
}
