package dev.backfill.infra;

import java.util.Map;
import java.util.Set;

/**
 * Real IAM action names, spelled as the Service Authorization Reference spells them, for the services this stack
 * grants on. cfn-lint skips IAM action checks in SAM templates, so a typo such as {@code s3:PutObjects} would only
 * surface as an AccessDenied in production; the template test refuses any action not listed here.
 *
 * <p>Add an action only after finding it in the Service Authorization Reference ("Actions, resources, and condition
 * keys for Amazon S3", ...). Note that batch APIs have no action of their own: {@code SendMessageBatch} is authorized
 * by {@code sqs:SendMessage}, {@code DeleteObjects} by {@code s3:DeleteObject}, {@code HeadObject} by
 * {@code s3:GetObject}, {@code ListObjectsV2} by {@code s3:ListBucket}.
 */
final class IamActions {

    private static final Map<String, Set<String>> ACTIONS = Map.of(
            "s3", Set.of(
                    "AbortMultipartUpload", "DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion",
                    "DeleteObjectVersionTagging", "GetBucketLocation", "GetBucketVersioning", "GetObject",
                    "GetObjectAttributes", "GetObjectTagging", "GetObjectVersion", "GetObjectVersionAttributes",
                    "GetObjectVersionTagging", "ListBucket", "ListBucketMultipartUploads", "ListBucketVersions",
                    "ListMultipartUploadParts", "PutObject", "PutObjectTagging", "PutObjectVersionTagging",
                    "RestoreObject"),
            "sqs", Set.of(
                    "AddPermission", "CancelMessageMoveTask", "ChangeMessageVisibility", "CreateQueue",
                    "DeleteMessage", "DeleteQueue", "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues",
                    "ListMessageMoveTasks", "ListQueueTags", "ListQueues", "PurgeQueue", "ReceiveMessage",
                    "RemovePermission", "SendMessage", "SetQueueAttributes", "StartMessageMoveTask", "TagQueue",
                    "UntagQueue"),
            "lambda", Set.of(
                    "GetFunction", "GetFunctionConfiguration", "InvokeAsync", "InvokeFunction", "InvokeFunctionUrl",
                    "ListFunctions"),
            "logs", Set.of(
                    "CreateLogGroup", "CreateLogStream", "DescribeLogGroups", "DescribeLogStreams", "FilterLogEvents",
                    "GetLogEvents", "GetQueryResults", "PutLogEvents", "StartQuery", "StopQuery"),
            "sts", Set.of("AssumeRole", "GetCallerIdentity"),
            "cloudwatch", Set.of(
                    "DescribeAlarms", "GetMetricData", "GetMetricStatistics", "ListMetrics", "PutMetricAlarm",
                    "PutMetricData"),
            "sns", Set.of("GetTopicAttributes", "Publish", "Subscribe"),
            "secretsmanager", Set.of("DescribeSecret", "GetSecretValue", "ListSecrets"),
            "kms", Set.of("Decrypt", "DescribeKey", "Encrypt", "GenerateDataKey"));

    private IamActions() {
    }

    /** Whether {@code action} ({@code service:Name}) is a real action, spelled exactly. */
    static boolean isReal(String action) {
        int colon = action.indexOf(':');
        return colon > 0 && ACTIONS.getOrDefault(action.substring(0, colon), Set.of())
                .contains(action.substring(colon + 1));
    }

    /** Whether {@code action} is {@code service:*} for a service listed here, as a broad Deny may say. */
    static boolean isServiceWildcard(String action) {
        return action.endsWith(":*") && ACTIONS.containsKey(action.substring(0, action.length() - 2));
    }
}
