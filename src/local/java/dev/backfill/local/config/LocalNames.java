package dev.backfill.local.config;

/**
 * The names everything in the local stack agrees on, as one AWS account and region would: the endpoints' region,
 * account and credentials, the bucket, the queues and the functions. Every layer of the local stack takes them from
 * here.
 */
public final class LocalNames {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";
    /** Every request to the embedded S3 and SQS, and to the Invoke API, is signed with these. */
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";
    public static final String BUCKET = "backfill-local";
    public static final String WORK_QUEUE = "backfill-work";
    public static final String DEAD_LETTER_QUEUE = "backfill-dlq";
    public static final String DISPATCHER = "backfill-dispatcher";
    public static final String WORKER = "backfill-worker";

    private LocalNames() {
    }

    /** The ARN of the function {@code name} in this account and region. */
    public static String functionArn(String name) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
    }
}
