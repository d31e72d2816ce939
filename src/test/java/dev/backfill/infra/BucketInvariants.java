package dev.backfill.infra;

import static dev.backfill.infra.Template.asSub;
import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static dev.backfill.infra.Template.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** The data bucket keeps every version, is private, encrypted, reachable over TLS only, and bounds its history. */
final class BucketInvariants {

    private static final List<String> PUBLIC_ACCESS_BLOCKS = List.of("BlockPublicAcls", "BlockPublicPolicy",
            "IgnorePublicAcls", "RestrictPublicBuckets");
    private static final Set<String> ENCRYPTIONS = Set.of("AES256", "aws:kms", "aws:kms:dsse");

    private BucketInvariants() {
    }

    static List<String> versioned(Template t) {
        return eachBucket(t, (id, bucket) -> "Enabled".equals(map(bucket.get("VersioningConfiguration")).get("Status"))
                ? List.of() : List.of(id + " VersioningConfiguration.Status must be Enabled, found "
                        + bucket.get("VersioningConfiguration")));
    }

    static List<String> publicAccessBlocked(Template t) {
        return eachBucket(t, (id, bucket) -> {
            Map<String, Object> block = map(bucket.get("PublicAccessBlockConfiguration"));
            return PUBLIC_ACCESS_BLOCKS.stream().filter(key -> !"true".equals(String.valueOf(block.get(key))))
                    .map(key -> id + " PublicAccessBlockConfiguration." + key + " must be true, found " + block.get(key))
                    .toList();
        });
    }

    static List<String> encrypted(Template t) {
        return eachBucket(t, (id, bucket) -> {
            List<Object> rules = list(map(bucket.get("BucketEncryption")).get("ServerSideEncryptionConfiguration"));
            boolean encrypted = !rules.isEmpty() && rules.stream().allMatch(rule -> ENCRYPTIONS.contains(
                    map(map(rule).get("ServerSideEncryptionByDefault")).get("SSEAlgorithm")));
            return encrypted ? List.of() : List.of(id + " needs default encryption (BucketEncryption), found "
                    + bucket.get("BucketEncryption"));
        });
    }

    static List<String> tlsOnly(Template t) {
        return eachBucket(t, (id, bucket) -> {
            Set<String> resources = Set.of("${" + id + ".Arn}", "${" + id + ".Arn}/*");
            boolean denied = t.ofType("AWS::S3::BucketPolicy").stream()
                    .filter(policy -> ref(t.properties(policy).get("Bucket")).equals(Optional.of(id)))
                    .flatMap(policy -> PolicyStatement.all(t).stream().filter(s -> s.owner().equals(policy)))
                    .anyMatch(s -> "Deny".equals(s.body().get("Effect"))
                            && String.valueOf(s.body().get("Principal")).matches("\\*|\\{AWS=\\*}")
                            && s.actions().stream().anyMatch(a -> a.equals("s3:*") || a.equals("*"))
                            && s.resources().stream().map(Template::asSub).toList().containsAll(resources)
                            && "false".equals(String.valueOf(
                                    map(map(s.body().get("Condition")).get("Bool")).get("aws:SecureTransport"))));
            return denied ? List.of() : List.of(id + " needs a bucket policy denying s3:* on " + resources
                    + " when aws:SecureTransport is false");
        });
    }

    static List<String> noncurrentVersionsExpire(Template t) {
        return eachBucket(t, (id, bucket) -> {
            List<Map<String, Object>> rules = list(map(bucket.get("LifecycleConfiguration")).get("Rules")).stream()
                    .map(Template::map).filter(rule -> "Enabled".equals(rule.get("Status")))
                    // Rules for a prefix (the audit's scratch) do not cover the tables.
                    .filter(rule -> !rule.containsKey("Prefix") && !rule.containsKey("Filter")).toList();
            List<String> wrong = new ArrayList<>();
            if (rules.stream().noneMatch(rule -> "${NoncurrentVersionRetentionDays}".equals(
                    asSub(map(rule.get("NoncurrentVersionExpiration")).get("NoncurrentDays"))))) {
                wrong.add(id + " needs an enabled lifecycle rule with NoncurrentVersionExpiration.NoncurrentDays"
                        + " = !Ref NoncurrentVersionRetentionDays, found " + bucket.get("LifecycleConfiguration"));
            }
            if (rules.stream().noneMatch(rule -> rule.containsKey("AbortIncompleteMultipartUpload"))) {
                wrong.add(id + " needs an enabled lifecycle rule with AbortIncompleteMultipartUpload");
            }
            if (rules.stream().noneMatch(rule -> Boolean.TRUE.equals(rule.get("ExpiredObjectDeleteMarker")))) {
                wrong.add(id + " needs an enabled lifecycle rule with ExpiredObjectDeleteMarker: true, or every"
                        + " commit's delete markers slow its prefix listings for ever");
            }
            return wrong;
        });
    }

    private static List<String> eachBucket(Template t, BiFunction<String, Map<String, Object>, List<String>> check) {
        List<String> buckets = t.ofType("AWS::S3::Bucket");
        if (buckets.isEmpty()) {
            return List.of("no AWS::S3::Bucket");
        }
        return buckets.stream().flatMap(id -> check.apply(id, t.properties(id)).stream()).toList();
    }
}
