package dev.backfill.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.infra.Invariant.Violation;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.job.OutputSchema;
import dev.backfill.example.api.ApiDailySnapshot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** infra/template.yaml, read offline, keeps every invariant the deployment relies on. */
class TemplateInvariantsTest {

    static final Path PROJECT = Path.of(System.getProperty("basedir", "."));
    static final Path TEMPLATE_FILE = PROJECT.resolve("infra/template.yaml");
    static final Path HANDLER_SOURCES = PROJECT.resolve("src/main/java/dev/backfill/function");
    /** The jobs the deployment registers (BackfillProducers.jobs): each output table, with its declared schema. */
    static final Map<String, OutputSchema> JOB_TABLES = Map.of(DailyEventCounts.NAME,
            DailyEventCounts.fixed().outputSchema(), ApiDailySnapshot.NAME,
            ApiDailySnapshot.of(ApiDailySnapshot.Settings.of(URI.create("http://unused"), 90)).outputSchema());

    private static Template template;
    private static TemplateInvariants invariants;

    @BeforeAll
    static void loadTemplateAndCode() {
        template = Template.load(TEMPLATE_FILE);
        invariants = new TemplateInvariants(HandlerNames.in(HANDLER_SOURCES), JOB_TABLES);
    }

    @Test
    void template_passesEveryInvariant() {
        assertThat(invariants.check(template)).isEmpty();
    }

    @Test
    void code_declaresTheDispatcherAndWorkerHandlers() {
        assertThat(HandlerNames.in(HANDLER_SOURCES)).containsExactly("dispatcher", "worker");
    }

    @Test
    void template_functions_shareOneCodeZip() {
        assertThat(violations(Invariant.ONE_CODE_ZIP)).isEmpty();
        assertThat(template.properties(dispatcher()).get("CodeUri")).isEqualTo("../target/function.zip")
                .isEqualTo(template.properties(worker()).get("CodeUri"));
    }

    @Test
    void template_handlerNames_equalTheNamedHandlersInCode() {
        assertThat(violations(Invariant.HANDLER_NAMES_MATCH_CODE)).isEmpty();
    }

    @Test
    void template_runtime_isJava21WithC1OnlyForJvmAndProvidedAl2023WithSignalHandlersOffForNative() {
        assertThat(violations(Invariant.RUNTIME_FOLLOWS_BUILD)).isEmpty();
    }

    @Test
    void template_functions_readBucketQueueZoneAndUpstreamBudgetFromTheStack() {
        assertThat(violations(Invariant.FUNCTION_CONFIGURATION)).isEmpty();
    }

    @Test
    void template_functions_runUnderExplicitRolesWithoutManagedPolicies() {
        assertThat(violations(Invariant.EXPLICIT_ROLES)).isEmpty();
    }

    @Test
    void template_worker_isFedByAnExplicitEventSourceMappingNotASamSqsEvent() {
        assertThat(violations(Invariant.EXPLICIT_EVENT_SOURCE_MAPPING)).isEmpty();
    }

    @Test
    void template_workerMapping_takesConcurrencyFromParameter() {
        assertThat(violations(Invariant.MAPPING_CONCURRENCY_FROM_PARAMETER)).isEmpty();
    }

    @Test
    void template_workerMapping_deliversOneWindowPerInvocation() {
        assertThat(violations(Invariant.ONE_WINDOW_PER_INVOCATION)).isEmpty();
    }

    @Test
    void template_workerMapping_reportsBatchItemFailures() {
        assertThat(violations(Invariant.REPORT_BATCH_ITEM_FAILURES)).isEmpty();
    }

    @Test
    void template_workQueue_visibilityIsAtLeastSixTimesEveryAllowedWorkerTimeout() {
        assertThat(violations(Invariant.VISIBILITY_AT_LEAST_SIX_TIMES_TIMEOUT)).isEmpty();
    }

    @Test
    void template_workQueue_redrivesToDeadLetterQueue() {
        assertThat(violations(Invariant.REDRIVE_TO_DEAD_LETTER_QUEUE)).isEmpty();
    }

    @Test
    void template_deadLetterQueue_alarmsWhenItHoldsMessages() {
        assertThat(violations(Invariant.DEAD_LETTER_DEPTH_ALARM)).isEmpty();
    }

    @Test
    void template_dataBucket_isVersionedPrivateEncryptedAndTlsOnly() {
        assertThat(violations(Invariant.BUCKET_VERSIONED)).isEmpty();
        assertThat(violations(Invariant.BUCKET_PUBLIC_ACCESS_BLOCKED)).isEmpty();
        assertThat(violations(Invariant.BUCKET_ENCRYPTED)).isEmpty();
        assertThat(violations(Invariant.BUCKET_TLS_ONLY)).isEmpty();
    }

    @Test
    void template_dataBucket_expiresNoncurrentVersionsAfterParameterDays() {
        assertThat(violations(Invariant.NONCURRENT_VERSIONS_EXPIRE)).isEmpty();
    }

    @Test
    void template_schedule_passesScheduledTimeToDispatcher() {
        assertThat(violations(Invariant.SCHEDULE_PASSES_SCHEDULED_TIME)).isEmpty();
    }

    @Test
    void template_iam_allowsNoWildcardActionAndNoWildcardResource() {
        assertThat(violations(Invariant.NO_WILDCARD_ACTION)).isEmpty();
        assertThat(violations(Invariant.NO_WILDCARD_RESOURCE)).isEmpty();
    }

    @Test
    void template_iam_spellsEveryActionAsARealAction() {
        assertThat(violations(Invariant.REAL_IAM_ACTIONS)).isEmpty();
        assertThat(IamInvariants.actionCount(template)).isPositive();
    }

    @Test
    void template_roles_grantOnlyWhatEachFunctionUses() {
        assertThat(grants(roleOf(dispatcher()))).containsExactlyInAnyOrder(
                "logs:CreateLogStream on ${DispatcherLogGroup.Arn}",
                "logs:PutLogEvents on ${DispatcherLogGroup.Arn}",
                "s3:GetObject on ${DataBucket.Arn}/_backfill/*",
                "s3:PutObject on ${DataBucket.Arn}/_backfill/*",
                "s3:DeleteObject on ${DataBucket.Arn}/_backfill/runs/*/CANCELLED",
                "s3:GetObject on ${DataBucket.Arn}/tables/*",
                "s3:PutObject on ${DataBucket.Arn}/tables/*",
                "s3:DeleteObject on ${DataBucket.Arn}/tables/*",
                "s3:GetObjectVersion on ${DataBucket.Arn}/tables/*",
                "s3:GetObjectVersion on ${DataBucket.Arn}/_backfill/runs/*/report.*",
                "s3:ListBucket on ${DataBucket.Arn}",
                "s3:ListBucketVersions on ${DataBucket.Arn}",
                "s3:GetObject on ${DataBucket.Arn}/raw/*",
                "s3:GetObjectVersion on ${DataBucket.Arn}/_backfill/audit/*",
                "s3:DeleteObject on ${DataBucket.Arn}/_backfill/audit/*",
                "sqs:SendMessage on ${WorkQueue.Arn}",
                "sqs:GetQueueAttributes on ${WorkQueue.Arn}",
                "sqs:StartMessageMoveTask on ${WorkDeadLetterQueue.Arn}",
                "sqs:ReceiveMessage on ${WorkDeadLetterQueue.Arn}",
                "sqs:DeleteMessage on ${WorkDeadLetterQueue.Arn}",
                "sqs:GetQueueAttributes on ${WorkDeadLetterQueue.Arn}",
                "sqs:SendMessage on ${ScheduleDeadLetterQueue.Arn}");
        assertThat(grants(roleOf(worker()))).containsExactlyInAnyOrder(
                "logs:CreateLogStream on ${WorkerLogGroup.Arn}",
                "logs:PutLogEvents on ${WorkerLogGroup.Arn}",
                "s3:GetObject on ${DataBucket.Arn}/raw/*",
                "s3:GetObject on ${DataBucket.Arn}/tables/*",
                "s3:PutObject on ${DataBucket.Arn}/tables/*",
                "s3:DeleteObject on ${DataBucket.Arn}/tables/*",
                "s3:GetObject on ${DataBucket.Arn}/_backfill/*",
                "s3:PutObject on ${DataBucket.Arn}/_backfill/*",
                "s3:ListBucket on ${DataBucket.Arn}",
                "s3:GetObjectVersion on ${DataBucket.Arn}/raw/*",
                "s3:ListBucketVersions on ${DataBucket.Arn}",
                "sqs:ReceiveMessage on ${WorkQueue.Arn}",
                "sqs:DeleteMessage on ${WorkQueue.Arn}",
                "sqs:GetQueueAttributes on ${WorkQueue.Arn}",
                "sqs:ChangeMessageVisibility on ${WorkQueue.Arn}",
                "sqs:SendMessage on ${WorkDeadLetterQueue.Arn}");
        String schedule = template.ofType("AWS::Scheduler::Schedule").get(0);
        Object schedulerRole = Template.map(template.properties(schedule).get("Target")).get("RoleArn");
        assertThat(grants(Template.getAtt(schedulerRole, "Arn").orElseThrow())).containsExactlyInAnyOrder(
                "lambda:InvokeFunction on ${DispatcherFunction.Alias}",
                "sqs:SendMessage on ${ScheduleDeadLetterQueue.Arn}");
    }

    @Test
    void template_worker_readsInputVersions_onTheInputPrefixOnly() {
        assertThat(violations(Invariant.WORKER_INPUT_VERSIONS_ONLY)).isEmpty();
        PolicyStatement listing = PolicyStatement.ofRole(template, roleOf(worker())).stream()
                .filter(statement -> statement.actions().contains("s3:ListBucketVersions")).findFirst().orElseThrow();
        assertThat(listing.body().get("Condition")).isEqualTo(Map.of("StringLike", Map.of("s3:prefix", "raw/*")));
    }

    @Test
    void snapStart_onJvmBuild_publishesVersionsAndTargetsAlias() {
        assertThat(violations(Invariant.PUBLISHED_VERSIONS)).isEmpty();
        assertThat(violations(Invariant.SNAPSTART_ON_JVM_BUILD)).isEmpty();
        assertThat(violations(Invariant.INVOCATIONS_ON_ALIAS)).isEmpty();
        assertThat(template.function(worker())).containsEntry("AutoPublishAlias", "live");
        assertThat(Template.asSub(template.properties("WorkerQueueMapping").get("FunctionName")))
                .isEqualTo("${" + worker() + ".Alias}");
    }

    @Test
    void deploy_passesAVersionStamp_soThatAParameterChangeAlonePublishesVersions() throws IOException {
        String deploy = Files.readString(PROJECT.resolve("infra/deploy.mk"));

        assertThat(deploy).contains("--parameter-overrides Build=$(BUILD) VersionStamp=");
    }

    @Test
    void template_logGroups_keepEachFunctionsLogsForTheRetentionParameter() {
        assertThat(violations(Invariant.LOG_GROUPS_WITH_RETENTION)).isEmpty();
        template.ofType("AWS::Logs::LogGroup").forEach(group -> assertThat(
                Template.asSub(template.properties(group).get("RetentionInDays"))).isEqualTo("${LogRetentionDays}"));
    }

    @Test
    void template_workQueue_alarmsWhenAWindowWaitsLongerThanTheParameter() {
        assertThat(violations(Invariant.OLDEST_MESSAGE_AGE_ALARM)).isEmpty();
    }

    @Test
    void template_worker_alarmsOnTheShareOfInvocationsThatFailedTheirWindow() {
        assertThat(violations(Invariant.WORKER_ERROR_RATE_ALARM)).isEmpty();
    }

    @Test
    void template_dashboard_showsWindowsQueueDeadLettersErrorsAndConcurrency() {
        assertThat(violations(Invariant.DASHBOARD)).isEmpty();
        assertThat(DashboardInvariants.metricsNamespace(template)).contains("Backfill/${AWS::StackName}");
    }

    @Test
    void template_glueTable_readsEachJobsOutputPrefixWithTheJsonSerDe() {
        assertThat(violations(Invariant.GLUE_TABLE_LOCATION)).isEmpty();
        assertThat(Template.asSub(Template.map(Template.map(template.properties("DailyEventCountsTable")
                .get("TableInput")).get("StorageDescriptor")).get("Location")))
                .isEqualTo("s3://${DataBucket}/tables/daily_event_counts/");
    }

    @Test
    void template_glueTable_hasTheColumnsTheJobDeclares_partitionedByDt() {
        assertThat(violations(Invariant.GLUE_TABLE_COLUMNS)).isEmpty();
    }

    @Test
    void template_glueTable_projectsDayPartitionsOverAValidRange() {
        assertThat(violations(Invariant.GLUE_PARTITION_PROJECTION)).isEmpty();
        assertThat(GlueInvariants.rangeProblem(template, "${TableFirstDay},NOW")).isEmpty();
    }

    @Test
    void template_parameters_haveValidatedDefaults() {
        assertThat(violations(Invariant.PARAMETERS_VALIDATED)).isEmpty();
        Map<String, Object> parameters = template.section("Parameters");
        assertThat(defaultOf(parameters, "Build")).isEqualTo("jvm");
        assertThat(defaultOf(parameters, "MaxConcurrency")).isEqualTo(5);
        assertThat(defaultOf(parameters, "ScheduleExpression")).isEqualTo("cron(0 6 * * ? *)");
        assertThat(defaultOf(parameters, "MaxCatchUpDays")).isEqualTo(7);
        assertThat(defaultOf(parameters, "ScheduleTimezone")).isEqualTo("UTC");
        assertThat(defaultOf(parameters, "UpstreamRequestsPerSecond")).isEqualTo(0);
        assertThat(defaultOf(parameters, "DlqAlarmTopicArn")).isEqualTo("");
    }

    @Test
    void template_outputs_nameFunctionsQueuesAndBucket() {
        assertThat(violations(Invariant.OUTPUTS)).isEmpty();
    }

    private static List<Violation> violations(Invariant invariant) {
        return invariant.check(invariants, template);
    }

    private static String dispatcher() {
        return template.functionWithHandler("dispatcher").orElseThrow();
    }

    private static String worker() {
        return template.functionWithHandler("worker").orElseThrow();
    }

    private static String roleOf(String function) {
        Optional<String> role = Template.getAtt(template.function(function).get("Role"), "Arn");
        return role.orElseThrow();
    }

    /** Each action a role allows, with each resource it allows it on: "s3:GetObject on ${DataBucket.Arn}/raw/*". */
    private static List<String> grants(String role) {
        return PolicyStatement.ofRole(template, role).stream().filter(PolicyStatement::allows)
                .flatMap(statement -> statement.actions().stream().flatMap(action -> statement.resources().stream()
                        .map(resource -> action + " on " + Template.asSub(resource))))
                .toList();
    }

    private static Object defaultOf(Map<String, Object> parameters, String name) {
        return Template.map(parameters.get(name)).get("Default");
    }
}
