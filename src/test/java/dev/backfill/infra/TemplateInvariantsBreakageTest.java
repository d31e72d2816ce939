package dev.backfill.infra;

import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.infra.Invariant.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The invariant checks catch breakage: each test breaks one thing in a fresh copy of infra/template.yaml and expects
 * the check to name the broken invariant, and the resource and value at fault.
 */
class TemplateInvariantsBreakageTest {

    private static final TemplateInvariants INVARIANTS = new TemplateInvariants(
            HandlerNames.in(TemplateInvariantsTest.HANDLER_SOURCES), TemplateInvariantsTest.JOB_TABLES);

    @Test
    void check_mappingWithoutReportBatchItemFailures_reportsIt() {
        Template broken = template();
        broken.properties("WorkerQueueMapping").remove("FunctionResponseTypes");

        assertReportsOnly(broken, Invariant.REPORT_BATCH_ITEM_FAILURES, "WorkerQueueMapping FunctionResponseTypes");
    }

    @Test
    void check_misspelledS3Action_reportsIt() {
        Template broken = template();
        actions(statement(broken, "WorkerRole", "data", 1)).add("s3:PutObjects");

        assertReportsOnly(broken, Invariant.REAL_IAM_ACTIONS, "WorkerRole/data names s3:PutObjects");
    }

    @Test
    void check_workerListingEveryVersionOfTheBucket_reportsIt() {
        Template broken = template();
        statement(broken, "WorkerRole", "data", 5).remove("Condition");

        assertReportsOnly(broken, Invariant.WORKER_INPUT_VERSIONS_ONLY, "WorkerRole/data allows "
                + "s3:ListBucketVersions with s3:prefix []; it must be a StringLike condition on prefixes under raw/");
    }

    @Test
    void check_workerListingVersionsOfTheTables_reportsIt() {
        Template broken = template();
        statement(broken, "WorkerRole", "data", 5).put("Condition",
                Map.of("StringLike", Map.of("s3:prefix", List.of("raw/*", "tables/*"))));

        assertReportsOnly(broken, Invariant.WORKER_INPUT_VERSIONS_ONLY, "s3:prefix [raw/*, tables/*]");
    }

    @Test
    void check_workerReadingOldVersionsOfTheTables_reportsIt() {
        Template broken = template();
        statement(broken, "WorkerRole", "data", 4).put("Resource", Map.of("Fn::Sub", "${DataBucket.Arn}/tables/*"));

        assertReportsOnly(broken, Invariant.WORKER_INPUT_VERSIONS_ONLY, "WorkerRole/data allows s3:GetObjectVersion "
                + "on ${DataBucket.Arn}/tables/*; the worker reads old versions of raw/* only");
    }

    @Test
    void check_wildcardResourceOnDataStatement_reportsIt() {
        Template broken = template();
        statement(broken, "WorkerRole", "data", 1).put("Resource", "*");

        assertReportsOnly(broken, Invariant.NO_WILDCARD_RESOURCE, "on *, which is not a resource of this stack");
    }

    @Test
    void check_grantOnEveryObjectOfTheBucket_reportsIt() {
        Template broken = template();
        statement(broken, "DispatcherRole", "ledger", 0).put("Resource", Map.of("Fn::Sub", "${DataBucket.Arn}/*"));

        assertReportsOnly(broken, Invariant.NO_WILDCARD_RESOURCE, "every object of DataBucket");
    }

    @Test
    void check_wildcardAction_reportsIt() {
        Template broken = template();
        statement(broken, "WorkerRole", "data", 1).put("Action", "s3:*");

        assertReports(broken, Invariant.NO_WILDCARD_ACTION, "WorkerRole/data allows the wildcard action s3:*");
    }

    @Test
    void check_unversionedBucket_reportsIt() {
        Template broken = template();
        broken.properties("DataBucket").put("VersioningConfiguration", Map.of("Status", "Suspended"));

        assertReportsOnly(broken, Invariant.BUCKET_VERSIONED, "DataBucket VersioningConfiguration.Status");
    }

    @Test
    void check_publicPolicyAllowed_reportsIt() {
        Template broken = template();
        map(broken.properties("DataBucket").get("PublicAccessBlockConfiguration")).put("BlockPublicPolicy", false);

        assertReportsOnly(broken, Invariant.BUCKET_PUBLIC_ACCESS_BLOCKED, "BlockPublicPolicy must be true");
    }

    @Test
    void check_unencryptedBucket_reportsIt() {
        Template broken = template();
        broken.properties("DataBucket").remove("BucketEncryption");

        assertReportsOnly(broken, Invariant.BUCKET_ENCRYPTED, "DataBucket needs default encryption");
    }

    @Test
    void check_noncurrentVersionsKeptForFixedDays_reportsIt() {
        Template broken = template();
        Object rule = list(map(broken.properties("DataBucket").get("LifecycleConfiguration")).get("Rules")).get(0);
        map(rule).put("NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30));

        assertReportsOnly(broken, Invariant.NONCURRENT_VERSIONS_EXPIRE, "!Ref NoncurrentVersionRetentionDays");
    }

    @Test
    void check_expiredDeleteMarkersKept_reportsIt() {
        Template broken = template();
        Object rule = list(map(broken.properties("DataBucket").get("LifecycleConfiguration")).get("Rules")).get(0);
        map(rule).remove("ExpiredObjectDeleteMarker");

        assertReportsOnly(broken, Invariant.NONCURRENT_VERSIONS_EXPIRE, "ExpiredObjectDeleteMarker: true");
    }

    @Test
    void check_deleteMarkersExpiredOnlyUnderAPrefix_reportsIt() {
        Template broken = template();
        List<Object> rules = list(map(broken.properties("DataBucket").get("LifecycleConfiguration")).get("Rules"));
        map(rules.get(0)).remove("ExpiredObjectDeleteMarker");
        assertThat(rules).anySatisfy(rule -> assertThat(map(rule)).containsKey("Prefix")
                .containsEntry("ExpiredObjectDeleteMarker", true));

        assertReportsOnly(broken, Invariant.NONCURRENT_VERSIONS_EXPIRE, "ExpiredObjectDeleteMarker: true");
    }

    @Test
    void check_bucketWithoutTlsOnlyPolicy_reportsIt() {
        Template broken = template();
        broken.resources().remove("DataBucketPolicy");

        assertReportsOnly(broken, Invariant.BUCKET_TLS_ONLY, "aws:SecureTransport is false");
    }

    @Test
    void check_visibilityBelowSixTimesTheLongestAllowedTimeout_reportsIt() {
        Template broken = template();
        map(map(broken.section("Mappings").get("WorkerTimeouts")).get("900")).put("QueueVisibilityTimeout", 4500);

        assertReportsOnly(broken, Invariant.VISIBILITY_AT_LEAST_SIX_TIMES_TIMEOUT,
                "VisibilityTimeout 4500 s must be at least 6 x the worker's Timeout 900 s");
    }

    @Test
    void check_fixedVisibilityWithTimeoutParameter_reportsTheTimeoutsItCannotCover() {
        Template broken = template();
        broken.properties("WorkQueue").put("VisibilityTimeout", 1800);

        assertReportsOnly(broken, Invariant.VISIBILITY_AT_LEAST_SIX_TIMES_TIMEOUT, "Timeout 600 s");
    }

    @Test
    void check_batchOfTenWindows_reportsIt() {
        Template broken = template();
        broken.properties("WorkerQueueMapping").put("BatchSize", 10);

        assertReportsOnly(broken, Invariant.ONE_WINDOW_PER_INVOCATION, "WorkerQueueMapping BatchSize must be 1");
    }

    @Test
    void check_mappingConcurrencyNotFromParameter_reportsIt() {
        Template broken = template();
        broken.properties("WorkerQueueMapping").put("ScalingConfig", Map.of("MaximumConcurrency", 10));

        assertReportsOnly(broken, Invariant.MAPPING_CONCURRENCY_FROM_PARAMETER, "must be !Ref MaxConcurrency");
    }

    @Test
    void check_functionsOnDifferentZips_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("CodeUri", "../target/worker.zip");

        assertReportsOnly(broken, Invariant.ONE_CODE_ZIP, "must share one CodeUri");
    }

    @Test
    void check_codeUriOnlyInGlobals_reportsIt() {
        Template broken = template();
        broken.properties("DispatcherFunction").remove("CodeUri");
        broken.properties("WorkerFunction").remove("CodeUri");
        map(broken.section("Globals").get("Function")).put("CodeUri", "../target/function.zip");

        assertReports(broken, Invariant.ONE_CODE_ZIP, "Globals.Function.CodeUri is ignored");
    }

    @Test
    void check_handlerRenamedInCodeOnly_reportsIt() {
        TemplateInvariants renamed = new TemplateInvariants(Set.of("dispatcher", "windowWorker"),
                TemplateInvariantsTest.JOB_TABLES);

        assertThat(renamed.check(template())).filteredOn(v -> v.invariant() == Invariant.HANDLER_NAMES_MATCH_CODE)
                .anySatisfy(v -> assertThat(v.message()).contains("QUARKUS_LAMBDA_HANDLER=worker"));
    }

    @Test
    void check_scheduleWithoutScheduledTime_reportsIt() {
        Template broken = template();
        map(broken.properties("DailySchedule").get("Target")).put("Input", "{\"job\":\"daily_event_counts\"}");

        assertReportsOnly(broken, Invariant.SCHEDULE_PASSES_SCHEDULED_TIME, "DailySchedule Input");
    }

    @Test
    void check_schedulerAllowedToInvokeAnyFunction_reportsIt() {
        Template broken = template();
        statement(broken, "SchedulerRole", "invoke-dispatcher", 0)
                .put("Resource", Map.of("Fn::Sub", "arn:${AWS::Partition}:lambda:*:*:function:*"));

        assertReports(broken, Invariant.SCHEDULE_PASSES_SCHEDULED_TIME, "only DispatcherFunction");
        assertReports(broken, Invariant.NO_WILDCARD_RESOURCE, "not a resource of this stack");
    }

    @Test
    void check_queueWithoutRedrive_reportsIt() {
        Template broken = template();
        broken.properties("WorkQueue").remove("RedrivePolicy");

        assertReports(broken, Invariant.REDRIVE_TO_DEAD_LETTER_QUEUE, "WorkQueue RedrivePolicy");
    }

    @Test
    void check_workerToldAnotherMaxReceiveCountThanTheQueues_reportsIt() {
        Template broken = template();
        Template.environment(broken.properties("WorkerFunction")).put("BACKFILL_RETRY_MAX_RECEIVE_COUNT", 5);

        assertReports(broken, Invariant.REDRIVE_TO_DEAD_LETTER_QUEUE,
                "WorkerFunction BACKFILL_RETRY_MAX_RECEIVE_COUNT must be WorkQueue's RedrivePolicy.maxReceiveCount");
    }

    @Test
    void check_deadLetterQueueWithoutAlarm_reportsIt() {
        Template broken = template();
        broken.resources().remove("WorkDeadLetterAlarm");

        assertReportsOnly(broken, Invariant.DEAD_LETTER_DEPTH_ALARM, "no alarm on WorkDeadLetterQueue");
    }

    @Test
    void check_nativeBuildWithSignalHandlers_reportsIt() {
        Template broken = template();
        Template.environment(map(broken.section("Globals").get("Function"))).remove("DISABLE_SIGNAL_HANDLERS");

        assertReportsOnly(broken, Invariant.RUNTIME_FOLLOWS_BUILD, "DISABLE_SIGNAL_HANDLERS");
    }

    @Test
    void check_jvmBuildWithoutTieredCompilationFlags_reportsIt() {
        Template broken = template();
        Template.environment(map(broken.section("Globals").get("Function"))).remove("JAVA_TOOL_OPTIONS");

        assertReportsOnly(broken, Invariant.RUNTIME_FOLLOWS_BUILD, "DispatcherFunction JAVA_TOOL_OPTIONS");
    }

    @Test
    void check_tieredCompilationFlagsOnNativeBuild_reportsIt() {
        Template broken = template();
        Template.environment(map(broken.section("Globals").get("Function"))).put("JAVA_TOOL_OPTIONS",
                Map.of("Fn::If", List.of("IsNative", "-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=1")));

        assertReportsOnly(broken, Invariant.RUNTIME_FOLLOWS_BUILD, "JAVA_TOOL_OPTIONS must be");
    }

    @Test
    void check_functionWithoutLogGroup_reportsIt() {
        Template broken = template();
        broken.resources().remove("WorkerLogGroup");

        assertReports(broken, Invariant.LOG_GROUPS_WITH_RETENTION, "needs an AWS::Logs::LogGroup");
    }

    @Test
    void check_samSqsEventInsteadOfMapping_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("Events", Map.of("Windows", Map.of("Type", "SQS",
                "Properties", Map.of("Queue", Map.of("Fn::GetAtt", List.of("WorkQueue", "Arn"))))));

        assertReportsOnly(broken, Invariant.EXPLICIT_EVENT_SOURCE_MAPPING, "whose policy allows every queue");
    }

    @Test
    void check_managedBasicExecutionRole_reportsIt() {
        Template broken = template();
        broken.properties("WorkerRole").put("ManagedPolicyArns",
                List.of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));

        assertReportsOnly(broken, Invariant.EXPLICIT_ROLES, "WorkerRole attaches managed policies");
    }

    @Test
    void check_snapStartOff_reportsIt() {
        Template broken = template();
        map(broken.section("Globals").get("Function")).put("SnapStart", Map.of("ApplyOn", "None"));

        assertReportsOnly(broken, Invariant.SNAPSTART_ON_JVM_BUILD,
                "DispatcherFunction SnapStart.ApplyOn must be !If [<Build is native>, None, PublishedVersions]");
    }

    @Test
    void check_snapStartAlsoForNativeBuild_reportsIt() {
        Template broken = template();
        map(broken.section("Globals").get("Function")).put("SnapStart", Map.of("ApplyOn", "PublishedVersions"));

        assertReportsOnly(broken, Invariant.SNAPSTART_ON_JVM_BUILD, "WorkerFunction SnapStart.ApplyOn");
    }

    @Test
    void check_ephemeralStorageSnapStartDoesNotSupport_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("EphemeralStorage", Map.of("Size", 1024));

        assertReportsOnly(broken, Invariant.SNAPSTART_ON_JVM_BUILD, "WorkerFunction EphemeralStorage.Size 1024");
    }

    @Test
    void check_noPublishedVersions_reportsIt() {
        Template broken = template();
        map(broken.section("Globals").get("Function")).remove("AutoPublishAlias");

        assertReportsOnly(broken, Invariant.PUBLISHED_VERSIONS, "WorkerFunction must publish versions behind an alias");
    }

    @Test
    void check_versionsOnlyOnCodeChanges_reportsIt() {
        Template broken = template();
        map(broken.section("Globals").get("Function")).remove("AutoPublishAliasAllProperties");

        assertReportsOnly(broken, Invariant.PUBLISHED_VERSIONS, "AutoPublishAliasAllProperties must be true");
    }

    @Test
    void check_versionStampNotUsed_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").remove("AutoPublishCodeSha256");

        assertReportsOnly(broken, Invariant.PUBLISHED_VERSIONS,
                "WorkerFunction AutoPublishCodeSha256 must be !Ref VersionStamp");
    }

    @Test
    void check_mappingOnLatest_reportsIt() {
        Template broken = template();
        broken.properties("WorkerQueueMapping").put("FunctionName", Map.of("Ref", "WorkerFunction"));

        assertReportsOnly(broken, Invariant.INVOCATIONS_ON_ALIAS,
                "WorkerQueueMapping FunctionName must be !Ref WorkerFunction.Alias");
    }

    @Test
    void check_scheduleOnLatest_reportsIt() {
        Template broken = template();
        map(broken.properties("DailySchedule").get("Target"))
                .put("Arn", Map.of("Fn::GetAtt", List.of("DispatcherFunction", "Arn")));

        assertReportsOnly(broken, Invariant.INVOCATIONS_ON_ALIAS,
                "DailySchedule Target.Arn must be !Ref DispatcherFunction.Alias");
    }

    @Test
    void check_invokeGrantOnTheUnqualifiedFunction_reportsIt() {
        Template broken = template();
        statement(broken, "SchedulerRole", "invoke-dispatcher", 0)
                .put("Resource", Map.of("Fn::GetAtt", List.of("DispatcherFunction", "Arn")));

        assertReportsOnly(broken, Invariant.INVOCATIONS_ON_ALIAS,
                "SchedulerRole/invoke-dispatcher allows lambda:InvokeFunction on ${DispatcherFunction.Arn}");
    }

    @Test
    void check_parameterWithoutRange_reportsIt() {
        Template broken = template();
        map(broken.section("Parameters").get("NoncurrentVersionRetentionDays")).remove("MaxValue");

        assertReportsOnly(broken, Invariant.PARAMETERS_VALIDATED, "parameter NoncurrentVersionRetentionDays needs");
    }

    @Test
    void check_glueTableOverAnotherPrefix_reportsIt() {
        Template broken = template();
        storage(broken).put("Location", Map.of("Fn::Sub", "s3://${DataBucket}/tables/daily_events/"));

        assertReportsOnly(broken, Invariant.GLUE_TABLE_LOCATION,
                "StorageDescriptor.Location must be s3://${DataBucket}/tables/daily_event_counts/");
    }

    @Test
    void check_glueTableWithHiveTextSerDe_reportsIt() {
        Template broken = template();
        storage(broken).put("SerdeInfo", Map.of("SerializationLibrary",
                "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"));

        assertReportsOnly(broken, Invariant.GLUE_TABLE_LOCATION, "LazySimpleSerDe");
    }

    @Test
    void check_jobWithoutGlueTable_reportsIt() {
        Template broken = template();
        broken.resources().remove("DailyEventCountsTable");

        assertReportsOnly(broken, Invariant.GLUE_TABLE_LOCATION, "no AWS::Glue::Table named daily_event_counts");
    }

    @Test
    void check_glueColumnMissingOrRetyped_reportsItAgainstTheJobsSchema() {
        Template broken = template();
        List<Object> columns = list(storage(broken).get("Columns"));
        columns.remove(2);
        columns.set(1, Map.of("Name", "events", "Type", "int", "Comment", "measure"));
        storage(broken).put("Columns", columns);

        assertReportsOnly(broken, Invariant.GLUE_TABLE_COLUMNS,
                "found [type string (key), events int (measure), amount_cents bigint (measure)]");
    }

    @Test
    void check_dtAsAColumnInsteadOfThePartition_reportsIt() {
        Template broken = template();
        map(broken.properties("DailyEventCountsTable").get("TableInput")).remove("PartitionKeys");

        assertReportsOnly(broken, Invariant.GLUE_TABLE_COLUMNS, "PartitionKeys must be [dt string]");
    }

    @Test
    void check_projectionRangeReversed_reportsIt() {
        Template broken = template();
        projection(broken).put("projection.dt.range", "2026-04-30,2026-04-09");

        assertReportsOnly(broken, Invariant.GLUE_PARTITION_PROJECTION, "starts after it ends");
    }

    @Test
    void check_projectionRangeInAnotherFormat_reportsIt() {
        Template broken = template();
        projection(broken).put("projection.dt.range", "2026/04/09,NOW");

        assertReportsOnly(broken, Invariant.GLUE_PARTITION_PROJECTION, "'2026/04/09' is neither yyyy-MM-dd");
    }

    @Test
    void check_locationTemplateWithoutThePartitionPlaceholder_reportsIt() {
        Template broken = template();
        projection(broken).put("storage.location.template",
                Map.of("Fn::Sub", "s3://${DataBucket}/tables/daily_event_counts/"));

        assertReportsOnly(broken, Invariant.GLUE_PARTITION_PROJECTION, "storage.location.template must be");
    }

    @Test
    void check_projectionDisabled_reportsIt() {
        Template broken = template();
        projection(broken).put("projection.enabled", "false");

        assertReportsOnly(broken, Invariant.GLUE_PARTITION_PROJECTION, "projection.enabled must be true");
    }

    @Test
    void check_dashboardWithoutTheDeadLetterQueue_reportsIt() {
        Template broken = template();
        replaceInDashboard(broken, "${WorkDeadLetterQueue.QueueName}", "${ScheduleDeadLetterQueue.QueueName}");

        assertReportsOnly(broken, Invariant.DASHBOARD,
                "the DLQ's depth (AWS/SQS ApproximateNumberOfMessagesVisible ${WorkDeadLetterQueue.QueueName})");
    }

    @Test
    void check_dashboardWithoutP99_reportsIt() {
        Template broken = template();
        replaceInDashboard(broken, "\"p99\"", "\"Maximum\"");

        assertReportsOnly(broken, Invariant.DASHBOARD, "WindowDuration p99");
    }

    @Test
    void check_dashboardConcurrencyAgainstAFixedLine_reportsIt() {
        Template broken = template();
        replaceInDashboard(broken, "\"value\": ${MaxConcurrency}", "\"value\": 5");

        assertReportsOnly(broken, Invariant.DASHBOARD, "horizontal annotation at ${MaxConcurrency}");
    }

    @Test
    void check_dashboardWindowsPerFiveMinutes_reportsIt() {
        Template broken = template();
        replaceInDashboard(broken, "\"period\": 3600", "\"period\": 300");

        assertReportsOnly(broken, Invariant.DASHBOARD, "WindowsCommitted per hour (Sum, period 3600)");
    }

    @Test
    void check_dashboardBodyNotJson_reportsIt() {
        Template broken = template();
        replaceInDashboard(broken, "\"widgets\": [", "\"widgets\": ");

        assertReportsOnly(broken, Invariant.DASHBOARD, "DashboardBody is not JSON");
    }

    @Test
    void check_functionsWritingMetricsToAnotherNamespace_reportsTheDashboardAndTheErrorRateAlarm() {
        Template broken = template();
        Template.environment(map(broken.section("Globals").get("Function")))
                .put("BACKFILL_METRICS_NAMESPACE", "Backfill");

        assertReports(broken, Invariant.FUNCTION_CONFIGURATION, "BACKFILL_METRICS_NAMESPACE=Backfill");
        assertReports(broken, Invariant.DASHBOARD, "WindowsCommitted per hour (Sum, period 3600) in Backfill");
        assertReports(broken, Invariant.WORKER_ERROR_RATE_ALARM, "WindowsFailed (in Backfill)");
    }

    @Test
    void check_oldestMessageAlarmWithFixedThreshold_reportsIt() {
        Template broken = template();
        broken.properties("WorkQueueOldestMessageAlarm").put("Threshold", 3600);

        assertReportsOnly(broken, Invariant.OLDEST_MESSAGE_AGE_ALARM, "!Ref OldestMessageAlarmSeconds");
    }

    @Test
    void check_noOldestMessageAlarm_reportsIt() {
        Template broken = template();
        broken.resources().remove("WorkQueueOldestMessageAlarm");

        assertReportsOnly(broken, Invariant.OLDEST_MESSAGE_AGE_ALARM,
                "no alarm on WorkQueue ApproximateAgeOfOldestMessage");
    }

    @Test
    void check_errorRateOfFunctionErrorsAlone_reportsItMissesFailedWindows() {
        Template broken = template();
        List<Object> queries = list(broken.properties("WorkerErrorRateAlarm").get("Metrics"));
        queries.removeIf(q -> "failed".equals(map(q).get("Id")));
        map(queries.get(queries.size() - 1)).put("Expression", "100 * errors / invocations");
        broken.properties("WorkerErrorRateAlarm").put("Metrics", queries);

        assertReportsOnly(broken, Invariant.WORKER_ERROR_RATE_ALARM, "WorkerErrorRateAlarm must return one expression");
    }

    @Test
    void check_errorRateAlarmNotified_reportsIt() {
        Template broken = template();
        broken.properties("WorkerErrorRateAlarm").remove("AlarmActions");

        assertReportsOnly(broken, Invariant.WORKER_ERROR_RATE_ALARM, "WorkerErrorRateAlarm must notify");
    }

    /** Replaces text in the dashboard's body, a Sub string. */
    private static void replaceInDashboard(Template t, String text, String replacement) {
        String body = Template.asSub(t.properties("Dashboard").get("DashboardBody"));
        assertThat(body).contains(text);
        t.properties("Dashboard").put("DashboardBody", Map.of("Fn::Sub", body.replace(text, replacement)));
    }

    private static Map<String, Object> storage(Template t) {
        return map(map(t.properties("DailyEventCountsTable").get("TableInput")).get("StorageDescriptor"));
    }

    private static Map<String, Object> projection(Template t) {
        return map(map(t.properties("DailyEventCountsTable").get("TableInput")).get("Parameters"));
    }

    @Test
    void check_aLiteralApiKeyInTheWorkersEnvironment_reportsIt() {
        Template broken = template();
        Map<String, Object> variables = map(map(broken.properties("WorkerFunction").get("Environment"))
                .get("Variables"));
        variables.put("BACKFILL_JOBS_API_DAILY_SNAPSHOT_API_KEY", "sk-live-123");

        assertReportsOnly(broken, Invariant.API_KEY_FROM_SECRET,
                "WorkerFunction sets BACKFILL_JOBS_API_DAILY_SNAPSHOT_API_KEY to a literal value");
    }

    @Test
    void check_theSecretReadableByTheDispatcher_reportsIt() {
        Template broken = template();
        broken.properties("WorkerApiKeyPolicy").put("Roles", List.of(Map.of("Ref", "DispatcherRole")));

        assertReportsOnly(broken, Invariant.API_KEY_FROM_SECRET,
                "WorkerApiKeyPolicy grants [secretsmanager:GetSecretValue] to [DispatcherRole]");
    }

    @Test
    void check_theSecretPolicyWithoutItsCondition_reportsIt() {
        Template broken = template();
        map(broken.resources().get("WorkerApiKeyPolicy")).remove("Condition");

        assertReportsOnly(broken, Invariant.API_KEY_FROM_SECRET, "without a Condition");
    }

    @Test
    void check_everySecretReadable_reportsIt() {
        Template broken = template();
        map(list(map(broken.properties("WorkerApiKeyPolicy").get("PolicyDocument")).get("Statement")).get(0))
                .put("Resource", "*");

        assertReports(broken, Invariant.NO_WILDCARD_RESOURCE, "on *, which is not a resource of this stack");
        assertReports(broken, Invariant.API_KEY_FROM_SECRET, "must allow only secretsmanager:GetSecretValue");
    }

    // ---------------------------------------------------------------- function configuration

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"BACKFILL_BUCKET", "BACKFILL_QUEUE_URL", "BACKFILL_DLQ_URL", "BACKFILL_ZONE",
            "BACKFILL_SCHEDULE_JOB", "BACKFILL_SCHEDULE_MAX_CATCH_UP_DAYS", "BACKFILL_WORKER_TIMEOUT",
            "BACKFILL_WORKER_MEMORY_MB", "BACKFILL_UPSTREAM_MAX_CONCURRENCY", "BACKFILL_UPSTREAM_REQUESTS_PER_SECOND",
            "BACKFILL_LOG_LEVEL", "BACKFILL_NONCURRENT_VERSION_RETENTION_DAYS"})
    void check_aFunctionMissingAStackSetting_reportsIt(String variable) {
        Template broken = template();
        assertThat(Template.environment(map(broken.section("Globals").get("Function")))).containsKey(variable);
        Template.environment(map(broken.section("Globals").get("Function"))).remove(variable);

        assertReportsOnly(broken, Invariant.FUNCTION_CONFIGURATION, "WorkerFunction sets " + variable + "=null");
        assertReports(broken, Invariant.FUNCTION_CONFIGURATION, "DispatcherFunction sets " + variable + "=null");
    }

    @Test
    void check_workerPointedAtTheDeadLetterQueue_reportsIt() {
        Template broken = template();
        Template.environment(broken.properties("WorkerFunction"))
                .put("BACKFILL_QUEUE_URL", Map.of("Ref", "WorkDeadLetterQueue"));

        assertReportsOnly(broken, Invariant.FUNCTION_CONFIGURATION,
                "WorkerFunction sets BACKFILL_QUEUE_URL={Ref=WorkDeadLetterQueue}, expected ${WorkQueue}");
    }

    @Test
    void check_zoneFixedInsteadOfTheScheduleTimezone_reportsIt() {
        Template broken = template();
        Template.environment(map(broken.section("Globals").get("Function"))).put("BACKFILL_ZONE", "UTC");

        assertReportsOnly(broken, Invariant.FUNCTION_CONFIGURATION,
                "DispatcherFunction sets BACKFILL_ZONE=UTC, expected ${ScheduleTimezone}");
    }

    @Test
    void check_workerTimeoutSettingNotTheWorkersTimeout_reportsIt() {
        Template broken = template();
        Template.environment(map(broken.section("Globals").get("Function"))).put("BACKFILL_WORKER_TIMEOUT", "900s");

        assertReportsOnly(broken, Invariant.FUNCTION_CONFIGURATION,
                "sets BACKFILL_WORKER_TIMEOUT=900s, expected ${WorkerTimeoutSeconds}s");
    }

    @Test
    void check_workerTimeoutFixed_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("Timeout", 600);

        assertReports(broken, Invariant.FUNCTION_CONFIGURATION,
                "WorkerFunction Timeout must be !Ref WorkerTimeoutSeconds, found 600");
        assertReports(broken, Invariant.FUNCTION_CONFIGURATION, "WorkerFunction sets BACKFILL_WORKER_TIMEOUT="
                + "{Fn::Sub=${WorkerTimeoutSeconds}s}, expected 600s");
    }

    @Test
    void check_aFunctionWithFixedMemory_reportsIt() {
        Template broken = template();
        broken.properties("DispatcherFunction").put("MemorySize", 512);

        assertReportsOnly(broken, Invariant.FUNCTION_CONFIGURATION,
                "DispatcherFunction MemorySize must be !Ref MemorySize, found 512");
    }

    @Test
    void check_workerMemoryNotWhatTheEstimateUses_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("MemorySize", 2048);

        assertReports(broken, Invariant.FUNCTION_CONFIGURATION, "WorkerFunction MemorySize must be !Ref MemorySize");
        assertReports(broken, Invariant.FUNCTION_CONFIGURATION,
                "WorkerFunction sets BACKFILL_WORKER_MEMORY_MB={Ref=MemorySize}, expected 2048");
    }

    @Test
    void check_buildParameterAllowingAnotherBuild_reportsIt() {
        Template broken = template();
        map(broken.section("Parameters").get("Build")).put("AllowedValues", List.of("jvm", "native", "graal"));

        assertReportsOnly(broken, Invariant.RUNTIME_FOLLOWS_BUILD, "parameter Build must allow exactly [jvm, native]");
    }

    @Test
    void check_jvmBuildOnAnotherJavaRuntime_reportsIt() {
        Template broken = template();
        map(broken.section("Globals").get("Function"))
                .put("Runtime", Map.of("Fn::If", List.of("IsNative", "provided.al2023", "java17")));

        assertReportsOnly(broken, Invariant.RUNTIME_FOLLOWS_BUILD,
                "DispatcherFunction Runtime must be provided.al2023 for native and java21 for jvm");
    }

    @Test
    void check_runtimeNotFollowingTheBuild_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("Runtime", "java21");

        assertReportsOnly(broken, Invariant.RUNTIME_FOLLOWS_BUILD,
                "WorkerFunction Runtime must be !If [<Build is native>, ...], found java21");
    }

    @Test
    void check_jvmHandlerNotQuarkusStreamHandler_reportsIt() {
        Template broken = template();
        map(broken.section("Globals").get("Function")).put("Handler",
                Map.of("Fn::If", List.of("IsNative", "not.used", "dev.backfill.function.WorkerFunction::handle")));

        assertReportsOnly(broken, Invariant.RUNTIME_FOLLOWS_BUILD, "Handler must be null for native and "
                + FunctionInvariants.JVM_HANDLER + " for jvm");
    }

    @Test
    void check_aPlainLambdaFunction_reportsIt() {
        Template broken = template();
        broken.resources().put("ExtraFunction", new java.util.LinkedHashMap<>(Map.of("Type", "AWS::Lambda::Function",
                "Properties", new java.util.LinkedHashMap<>(Map.of("Handler", "x", "Runtime", "java21")))));

        assertReports(broken, Invariant.ONE_CODE_ZIP, "ExtraFunction is a plain AWS::Lambda::Function");
    }

    @Test
    void check_bothFunctionsOnAZipNotTheBuilds_reportsIt() {
        Template broken = template();
        broken.properties("DispatcherFunction").put("CodeUri", "../target/lambda.zip");
        broken.properties("WorkerFunction").put("CodeUri", "../target/lambda.zip");

        assertReportsOnly(broken, Invariant.ONE_CODE_ZIP, "CodeUri [../target/lambda.zip] is not the build's");
    }

    @Test
    void check_bothFunctionsRunningTheSameHandler_reportsIt() {
        Template broken = template();
        Template.environment(broken.properties("WorkerFunction")).put("QUARKUS_LAMBDA_HANDLER", "dispatcher");

        assertThat(INVARIANTS.check(broken)).filteredOn(v -> v.invariant() == Invariant.HANDLER_NAMES_MATCH_CODE)
                .anySatisfy(v -> assertThat(v.message()).isEqualTo("each @Named handler [dispatcher, worker] must "
                        + "run in exactly one function, found [dispatcher, dispatcher]"));
    }

    @Test
    void check_aHandlerTheCodeDoesNotDeclare_reportsIt() {
        Template broken = template();
        Template.environment(broken.properties("WorkerFunction")).put("QUARKUS_LAMBDA_HANDLER", "windowWorker");

        assertThat(INVARIANTS.check(broken)).filteredOn(v -> v.invariant() == Invariant.HANDLER_NAMES_MATCH_CODE)
                .anySatisfy(v -> assertThat(v.message()).isEqualTo("WorkerFunction sets "
                        + "QUARKUS_LAMBDA_HANDLER=windowWorker; the code's @Named handlers are [dispatcher, worker]"));
    }

    @Test
    void check_aRoleFromOutsideTheStack_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("Role", "arn:aws:iam::123456789012:role/shared-lambda");

        assertReports(broken, Invariant.EXPLICIT_ROLES, "WorkerFunction must use an AWS::IAM::Role of this template");
    }

    @Test
    void check_samPoliciesOnAFunction_reportsIt() {
        Template broken = template();
        broken.properties("DispatcherFunction").put("Policies", List.of("AmazonS3FullAccess"));

        assertReportsOnly(broken, Invariant.EXPLICIT_ROLES, "DispatcherFunction has SAM Policies");
    }

    @Test
    void check_logGroupWithoutRetention_reportsIt() {
        Template broken = template();
        broken.properties("DispatcherLogGroup").remove("RetentionInDays");

        assertReportsOnly(broken, Invariant.LOG_GROUPS_WITH_RETENTION, "DispatcherFunction (FunctionName "
                + "${AWS::StackName}-dispatcher) needs an AWS::Logs::LogGroup /aws/lambda/${AWS::StackName}-dispatcher "
                + "with RetentionInDays");
    }

    @Test
    void check_logsGrantedOnAnotherLogGroup_reportsIt() {
        Template broken = template();
        statement(broken, "WorkerRole", "logs", 0).put("Resource", Map.of("Fn::GetAtt",
                List.of("DispatcherLogGroup", "Arn")));

        assertReportsOnly(broken, Invariant.LOG_GROUPS_WITH_RETENTION, "grants logs on");
    }

    @Test
    void check_provisionedConcurrencyWithSnapStart_reportsIt() {
        Template broken = template();
        broken.properties("WorkerFunction").put("ProvisionedConcurrencyConfig",
                Map.of("ProvisionedConcurrentExecutions", 2));

        assertReportsOnly(broken, Invariant.SNAPSTART_ON_JVM_BUILD,
                "WorkerFunction sets ProvisionedConcurrencyConfig, which SnapStart does not support");
    }

    @Test
    void check_versionStampWithADefault_reportsIt() {
        Template broken = template();
        map(broken.section("Parameters").get(SnapStartInvariants.STAMP)).put("Default", "v1");

        assertReportsOnly(broken, Invariant.PUBLISHED_VERSIONS, "parameter VersionStamp must be a String defaulting "
                + "to an empty string");
    }

    // ---------------------------------------------------------------- outputs

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DispatcherFunctionName", "DispatcherFunctionArn", "DispatcherAliasArn",
            "WorkerFunctionName", "WorkerFunctionArn", "WorkerAliasArn", "QueueUrl", "DeadLetterQueueUrl",
            "BucketName"})
    void check_missingOutput_reportsIt(String output) {
        Template broken = template();
        assertThat(broken.section("Outputs")).containsKey(output);
        broken.section("Outputs").remove(output);

        assertReportsOnly(broken, Invariant.OUTPUTS, "missing output " + output);
    }

    @Test
    void check_aliasOutputNamingLatest_reportsIt() {
        Template broken = template();
        map(broken.section("Outputs").get("DispatcherAliasArn")).put("Value", Map.of("Fn::GetAtt",
                List.of("DispatcherFunction", "Arn")));

        assertReportsOnly(broken, Invariant.OUTPUTS,
                "output DispatcherAliasArn must be ${DispatcherFunction.Alias}, found ${DispatcherFunction.Arn}");
    }

    @Test
    void check_queueOutputsSwapped_reportsBoth() {
        Template broken = template();
        map(broken.section("Outputs").get("QueueUrl")).put("Value", Map.of("Ref", "WorkDeadLetterQueue"));
        map(broken.section("Outputs").get("DeadLetterQueueUrl")).put("Value", Map.of("Ref", "WorkQueue"));

        assertReportsOnly(broken, Invariant.OUTPUTS, "output QueueUrl must be ${WorkQueue}, found "
                + "${WorkDeadLetterQueue}");
        assertReports(broken, Invariant.OUTPUTS, "output DeadLetterQueueUrl must be ${WorkDeadLetterQueue}, found "
                + "${WorkQueue}");
    }

    @Test
    void check_outputsOfTheOtherFunction_reportsThem() {
        Template broken = template();
        map(broken.section("Outputs").get("WorkerFunctionName")).put("Value", Map.of("Ref", "DispatcherFunction"));
        map(broken.section("Outputs").get("BucketName")).put("Value", "my-bucket");

        assertReportsOnly(broken, Invariant.OUTPUTS, "output WorkerFunctionName must be ${WorkerFunction}");
        assertReports(broken, Invariant.OUTPUTS, "output BucketName must be ${DataBucket}, found my-bucket");
    }

    private static Template template() {
        return Template.load(TemplateInvariantsTest.TEMPLATE_FILE);
    }

    /** The live statement {@code index} of a role's inline policy. */
    private static Map<String, Object> statement(Template t, String role, String policyName, int index) {
        Object policy = list(t.properties(role).get("Policies")).stream()
                .filter(p -> policyName.equals(map(p).get("PolicyName"))).findFirst().orElseThrow();
        return map(list(map(map(policy).get("PolicyDocument")).get("Statement")).get(index));
    }

    /** The statement's actions as a live, growable list. */
    private static List<Object> actions(Map<String, Object> statement) {
        List<Object> actions = new ArrayList<>(list(statement.get("Action")));
        statement.put("Action", actions);
        return actions;
    }

    private static void assertReports(Template broken, Invariant invariant, String fragment) {
        assertThat(INVARIANTS.check(broken)).filteredOn(v -> v.invariant() == invariant)
                .anySatisfy(v -> assertThat(v.message()).contains(fragment));
    }

    /** Reports the invariant, and no other: each check looks at one thing. */
    private static void assertReportsOnly(Template broken, Invariant invariant, String fragment) {
        List<Violation> violations = INVARIANTS.check(broken);
        assertThat(violations).extracting(Violation::invariant).containsOnly(invariant);
        assertReports(broken, invariant, fragment);
    }
}
