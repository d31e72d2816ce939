package dev.backfill.infra;

import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One IAM policy statement of a template, with where it was found ({@code WorkerRole/data} is the inline policy
 * {@code data} of {@code WorkerRole}).
 *
 * @param owner    logical id of the role, policy or resource policy holding the statement
 * @param where    the owner, and the inline policy's name where there is one
 * @param trust    whether this is a role's trust policy (who may assume it) rather than a permission
 * @param body     the statement itself: Effect, Action, Resource, Condition...
 */
record PolicyStatement(String owner, String where, boolean trust, Map<String, Object> body) {

    private static final List<String> POLICY_DOCUMENT_TYPES = List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
            "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy");

    boolean allows() {
        return "Allow".equals(body.get("Effect"));
    }

    List<String> actions() {
        return list(body.get("Action")).stream().map(String::valueOf).toList();
    }

    List<Object> resources() {
        return list(body.get("Resource"));
    }

    /** Every statement in the template: roles (trust and inline), standalone and resource policies, SAM inline. */
    static List<PolicyStatement> all(Template template) {
        List<PolicyStatement> statements = new ArrayList<>();
        for (String id : template.ofType("AWS::IAM::Role")) {
            Map<String, Object> role = template.properties(id);
            add(statements, id, id + "/trust", true, role.get("AssumeRolePolicyDocument"));
            for (Object policy : list(role.get("Policies"))) {
                add(statements, id, id + "/" + map(policy).get("PolicyName"), false, map(policy).get("PolicyDocument"));
            }
        }
        for (String type : POLICY_DOCUMENT_TYPES) {
            for (String id : template.ofType(type)) {
                add(statements, id, id, false, template.properties(id).get("PolicyDocument"));
            }
        }
        for (String id : template.ofType(Template.SERVERLESS_FUNCTION)) {
            for (Object policy : list(template.properties(id).get("Policies"))) {
                add(statements, id, id + "/Policies", false, policy);
            }
        }
        return statements;
    }

    /** The statements of a role's inline permission policies (not its trust policy). */
    static List<PolicyStatement> ofRole(Template template, String roleId) {
        return all(template).stream().filter(s -> s.owner().equals(roleId) && !s.trust()).toList();
    }

    private static void add(List<PolicyStatement> statements, String owner, String where, boolean trust,
                            Object document) {
        for (Object statement : list(map(document).get("Statement"))) {
            statements.add(new PolicyStatement(owner, where, trust, map(statement)));
        }
    }
}
