package dev.backfill.infra;

import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static dev.backfill.infra.Template.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Versions, the alias and SnapStart: every deploy that changes a function publishes a version behind one alias; the
 * JVM build snapshots each published version (SnapStart), the native build cannot (provided.al2023); and everything
 * that invokes a function (the event source mapping, the schedule, the invoke grants) names the alias, since SnapStart
 * never applies to $LATEST (Lambda Developer Guide, "Improving startup performance with Lambda SnapStart").
 */
final class SnapStartInvariants {

    static final String STAMP = "VersionStamp";

    private SnapStartInvariants() {
    }

    static List<String> publishedVersions(Template t) {
        List<String> wrong = new ArrayList<>();
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            Map<String, Object> function = t.function(id);
            if (!(function.get("AutoPublishAlias") instanceof String alias) || alias.isBlank()) {
                wrong.add(id + " must publish versions behind an alias (AutoPublishAlias), found "
                        + function.get("AutoPublishAlias"));
            }
            if (!Boolean.TRUE.equals(function.get("AutoPublishAliasAllProperties"))) {
                wrong.add(id + " AutoPublishAliasAllProperties must be true: a change of any property (timeout, "
                        + "memory, environment) publishes a version, found "
                        + function.get("AutoPublishAliasAllProperties"));
            }
            if (!ref(function.get("AutoPublishCodeSha256")).equals(Optional.of(STAMP))) {
                wrong.add(id + " AutoPublishCodeSha256 must be !Ref " + STAMP + ", so that a change of parameters "
                        + "alone can publish a version, found " + function.get("AutoPublishCodeSha256"));
            }
        }
        Map<String, Object> stamp = map(t.section("Parameters").get(STAMP));
        if (!"String".equals(stamp.get("Type")) || !"".equals(stamp.get("Default"))) {
            wrong.add("parameter " + STAMP + " must be a String defaulting to an empty string (SAM then hashes "
                    + "code and properties itself), found " + stamp);
        }
        return wrong;
    }

    static List<String> snapStartOnJvmBuild(Template t) {
        List<String> wrong = new ArrayList<>();
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            Map<String, Object> function = t.function(id);
            Object applyOn = map(function.get("SnapStart")).get("ApplyOn");
            List<Object> choice = list(map(applyOn).get("Fn::If"));
            if (choice.size() != 3 || !FunctionInvariants.isBuildNative(t, choice.get(0))
                    || !"None".equals(choice.get(1)) || !"PublishedVersions".equals(choice.get(2))) {
                wrong.add(id + " SnapStart.ApplyOn must be !If [<Build is native>, None, PublishedVersions], found "
                        + applyOn);
            }
            // SnapStart does not support these (Lambda Developer Guide, SnapStart, "Supported features").
            for (String unsupported : List.of("ProvisionedConcurrencyConfig", "FileSystemConfigs")) {
                if (function.containsKey(unsupported)) {
                    wrong.add(id + " sets " + unsupported + ", which SnapStart does not support");
                }
            }
            Object storage = map(function.get("EphemeralStorage")).get("Size");
            if (storage != null && !Objects.equals(storage, 512)) {
                wrong.add(id + " EphemeralStorage.Size " + storage + ": SnapStart supports 512 MB only");
            }
        }
        return wrong;
    }

    static List<String> invocationsOnAlias(Template t) {
        List<String> wrong = new ArrayList<>();
        Optional<String> worker = t.functionWithHandler("worker");
        for (String mapping : QueueInvariants.workerMappings(t)) {
            Object target = t.properties(mapping).get("FunctionName");
            if (!alias(target).equals(worker)) {
                wrong.add(mapping + " FunctionName must be !Ref " + worker.orElse("?") + ".Alias, found " + target);
            }
        }
        Optional<String> dispatcher = t.functionWithHandler("dispatcher");
        for (String schedule : t.ofType("AWS::Scheduler::Schedule")) {
            Object target = map(t.properties(schedule).get("Target")).get("Arn");
            if (!alias(target).equals(dispatcher)) {
                wrong.add(schedule + " Target.Arn must be !Ref " + dispatcher.orElse("?") + ".Alias, found " + target);
            }
        }
        for (PolicyStatement statement : PolicyStatement.all(t)) {
            if (statement.allows() && statement.actions().contains("lambda:InvokeFunction")) {
                statement.resources().stream().filter(resource -> alias(resource).isEmpty())
                        .forEach(resource -> wrong.add(statement.where() + " allows lambda:InvokeFunction on "
                                + Template.asSub(resource) + "; name the alias (!Ref <Function>.Alias)"));
            }
        }
        return wrong;
    }

    /** The function whose alias {@code !Ref Function.Alias} names, if the value is one (SAM's AutoPublishAlias). */
    static Optional<String> alias(Object value) {
        return ref(value).filter(target -> target.endsWith(".Alias"))
                .map(target -> target.substring(0, target.length() - ".Alias".length()));
    }
}
