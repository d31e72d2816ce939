package dev.backfill.infra;

import static dev.backfill.infra.Template.asSub;
import static dev.backfill.infra.Template.environment;
import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Upstream credentials stay out of the template: the API key lives in Secrets Manager, the worker gets the secret's
 * ARN (a parameter), never a value, and only the worker may read only that secret, only when one is given.
 */
final class SecretInvariants {

    static final String SECRET_PARAMETER = "ApiKeySecretArn";
    static final String BASE_URL_PARAMETER = "ApiBaseUrl";
    static final String SECRET_VARIABLE = "BACKFILL_JOBS_API_DAILY_SNAPSHOT_API_KEY_SECRET_ARN";
    static final String BASE_URL_VARIABLE = "BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL";
    /** Variable names that would hold a credential. */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile(".*(KEY|SECRET|TOKEN|PASSWORD).*");

    private SecretInvariants() {
    }

    static List<String> apiKeyFromSecret(Template t) {
        List<String> wrong = new ArrayList<>();
        Map<String, Object> secret = map(t.section("Parameters").get(SECRET_PARAMETER));
        if (!"".equals(secret.get("Default")) || !String.valueOf(secret.get("AllowedPattern")).contains(
                ":secretsmanager:")) {
            wrong.add("parameter " + SECRET_PARAMETER + " must default to empty and admit only Secrets Manager ARNs, "
                    + "found " + secret);
        }
        Optional<String> worker = t.functionWithHandler("worker");
        Map<String, Object> variables = worker.map(id -> environment(t.function(id))).orElse(Map.of());
        expect(wrong, worker.orElse("worker") + " " + SECRET_VARIABLE, asSub(variables.get(SECRET_VARIABLE)),
                "${" + SECRET_PARAMETER + "}");
        expect(wrong, worker.orElse("worker") + " " + BASE_URL_VARIABLE, asSub(variables.get(BASE_URL_VARIABLE)),
                "${" + BASE_URL_PARAMETER + "}");
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            environment(t.function(id)).forEach((name, value) -> {
                if (CREDENTIAL_NAME.matcher(name).matches() && !(value instanceof Map<?, ?>)) {
                    wrong.add(id + " sets " + name + " to a literal value; give a secret's ARN as a parameter");
                }
            });
        }
        wrong.addAll(secretReads(t, worker));
        return wrong;
    }

    /** Every statement naming a Secrets Manager action: the worker's, conditional, on the secret parameter only. */
    private static List<String> secretReads(Template t, Optional<String> worker) {
        List<String> wrong = new ArrayList<>();
        String workerRole = worker.flatMap(id -> Template.getAtt(t.function(id).get("Role"), "Arn")).orElse("?");
        for (PolicyStatement statement : PolicyStatement.all(t)) {
            if (statement.actions().stream().noneMatch(action -> action.startsWith("secretsmanager:"))) {
                continue;
            }
            Map<String, Object> owner = map(t.resources().get(statement.owner()));
            List<String> roles = list(map(owner.get("Properties")).get("Roles")).stream()
                    .map(role -> Template.ref(role).orElse("?")).toList();
            if (!"AWS::IAM::Policy".equals(owner.get("Type")) || !roles.equals(List.of(workerRole))) {
                wrong.add(statement.where() + " grants " + statement.actions() + " to " + (roles.isEmpty()
                        ? statement.owner() : roles) + "; only " + workerRole + " may read the API key");
            }
            if (owner.get("Condition") == null) {
                wrong.add(statement.where() + " grants " + statement.actions() + " without a Condition; it must "
                        + "exist only when " + SECRET_PARAMETER + " is set");
            }
            if (!statement.actions().equals(List.of("secretsmanager:GetSecretValue"))
                    || !statement.resources().stream().map(Template::asSub).toList()
                    .equals(List.of("${" + SECRET_PARAMETER + "}"))) {
                wrong.add(statement.where() + " must allow only secretsmanager:GetSecretValue on ${"
                        + SECRET_PARAMETER + "}, found " + statement.actions() + " on " + statement.resources());
            }
        }
        return wrong;
    }

    private static void expect(List<String> wrong, String what, String found, String expected) {
        if (!expected.equals(found)) {
            wrong.add(what + " must be " + expected + ", found " + found);
        }
    }
}
