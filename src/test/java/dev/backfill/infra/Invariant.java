package dev.backfill.infra;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What infra/template.yaml must keep true. Each invariant is a function from a template to the list of its
 * violations, empty when it holds; {@link TemplateInvariants#check(Template)} runs them all.
 */
enum Invariant {
    ONE_CODE_ZIP(FunctionInvariants::oneCodeZip),
    HANDLER_NAMES_MATCH_CODE(TemplateInvariants::handlerNamesMatchCode),
    RUNTIME_FOLLOWS_BUILD(FunctionInvariants::runtimeFollowsBuild),
    FUNCTION_CONFIGURATION(FunctionInvariants::functionConfiguration),
    EXPLICIT_ROLES(FunctionInvariants::explicitRoles),
    LOG_GROUPS_WITH_RETENTION(FunctionInvariants::logGroupsWithRetention),
    EXPLICIT_EVENT_SOURCE_MAPPING(QueueInvariants::explicitEventSourceMapping),
    MAPPING_CONCURRENCY_FROM_PARAMETER(QueueInvariants::mappingConcurrencyFromParameter),
    ONE_WINDOW_PER_INVOCATION(QueueInvariants::oneWindowPerInvocation),
    REPORT_BATCH_ITEM_FAILURES(QueueInvariants::reportBatchItemFailures),
    VISIBILITY_AT_LEAST_SIX_TIMES_TIMEOUT(QueueInvariants::visibilityAtLeastSixTimesTimeout),
    REDRIVE_TO_DEAD_LETTER_QUEUE(QueueInvariants::redriveToDeadLetterQueue),
    DEAD_LETTER_DEPTH_ALARM(QueueInvariants::deadLetterDepthAlarm),
    OLDEST_MESSAGE_AGE_ALARM(AlarmInvariants::oldestMessageAge),
    WORKER_ERROR_RATE_ALARM(AlarmInvariants::workerErrorRate),
    DASHBOARD(DashboardInvariants::dashboard),
    BUCKET_VERSIONED(BucketInvariants::versioned),
    BUCKET_PUBLIC_ACCESS_BLOCKED(BucketInvariants::publicAccessBlocked),
    BUCKET_ENCRYPTED(BucketInvariants::encrypted),
    BUCKET_TLS_ONLY(BucketInvariants::tlsOnly),
    NONCURRENT_VERSIONS_EXPIRE(BucketInvariants::noncurrentVersionsExpire),
    SCHEDULE_PASSES_SCHEDULED_TIME(TemplateInvariants::schedulePassesScheduledTime),
    PUBLISHED_VERSIONS(SnapStartInvariants::publishedVersions),
    SNAPSTART_ON_JVM_BUILD(SnapStartInvariants::snapStartOnJvmBuild),
    INVOCATIONS_ON_ALIAS(SnapStartInvariants::invocationsOnAlias),
    NO_WILDCARD_ACTION(IamInvariants::noWildcardAction),
    NO_WILDCARD_RESOURCE(IamInvariants::noWildcardResource),
    REAL_IAM_ACTIONS(IamInvariants::realActions),
    WORKER_INPUT_VERSIONS_ONLY(IamInvariants::workerInputVersionsOnly),
    API_KEY_FROM_SECRET(SecretInvariants::apiKeyFromSecret),
    GLUE_TABLE_LOCATION(TemplateInvariants::glueTableLocations),
    GLUE_TABLE_COLUMNS(TemplateInvariants::glueTableColumns),
    GLUE_PARTITION_PROJECTION(TemplateInvariants::gluePartitionProjection),
    PARAMETERS_VALIDATED(TemplateInvariants::parametersValidated),
    OUTPUTS(TemplateInvariants::outputs);

    private final BiFunction<TemplateInvariants, Template, List<String>> check;

    Invariant(Function<Template, List<String>> check) {
        this.check = (checks, template) -> check.apply(template);
    }

    /** For a check that also needs what the code declares, such as its handler names. */
    Invariant(BiFunction<TemplateInvariants, Template, List<String>> check) {
        this.check = check;
    }

    List<Violation> check(TemplateInvariants checks, Template template) {
        return check.apply(checks, template).stream().map(message -> new Violation(this, message)).toList();
    }

    /** The invariant as violations name it: {@code report-batch-item-failures}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One way a template breaks an invariant, with the resource and the value at fault. */
    record Violation(Invariant invariant, String message) {

        @Override
        public String toString() {
            return "[" + invariant.id() + "] " + message;
        }
    }
}
