package dev.backfill.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backfill.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The operator's command line behind
 * {@code make plan|backfill|status|runs|cancel|retry|redrive|watermark|watch|publish|discard|audit} and
 * {@code make read|diff|report} (which also downloads the report):
 * builds the dispatcher request from {@code field=value} arguments (empty values left out), invokes the dispatcher —
 * the deployed one of {@code STACK} through the AWS CLI, or the local stack's with {@code LOCAL=1} (through the AWS
 * CLI when it is installed, else over HTTP) — and prints the answer as readable tables.
 * <pre>Ops status runId=20261125T144019Z-3d187b</pre>
 */
public final class Ops {

    private static final Set<String> NUMBERS = Set.of("limit");
    private static final Set<String> BOOLEANS = Set.of("force");
    private static final String LOCAL_ENDPOINT = "http://127.0.0.1:3001";
    private static final String LOCAL_FUNCTION = "backfill-dispatcher";

    private Ops() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Ops ACTION [field=value ...]   (ACTION: plan backfill status runs cancel retry "
                    + "redrive watermark audit watch publish discard read diff report)");
            System.exit(2);
        }
        try {
            Invoker invoker = invoker(System.getenv());
            String action = args[0];
            ObjectNode request = request(action.equals("watch") ? "status" : action, args);
            if (action.equals("watch")) {
                new Watch(invoker, System.out).follow(request, Duration.ofSeconds(2));
            } else {
                JsonNode answer = Json.mapper().readTree(invoker.invoke(request.toString()));
                System.out.print(AnswerTables.render(action, answer));
                if (action.equals("report")) {
                    System.out.println("report: " + ReportDownload.save(answer, Path.of("target", "reports"),
                            "1".equals(System.getenv("LOCAL"))));
                }
            }
        } catch (Invoker.FunctionErrorException e) {
            System.err.println("refused: " + e.getMessage());
            System.exit(1);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    static ObjectNode request(String action, String[] args) {
        ObjectNode request = Json.mapper().createObjectNode().put("action", action);
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("Expected field=value, not '" + args[i] + "'");
            }
            String field = args[i].substring(0, equals);
            String value = args[i].substring(equals + 1);
            if (value.isEmpty()) {
                continue;
            }
            if (BOOLEANS.contains(field) && (value.equals("true") || value.equals("false"))) {
                request.put(field, Boolean.parseBoolean(value));
            } else if (NUMBERS.contains(field) && value.matches("\\d{1,9}")) {
                request.put(field, Integer.parseInt(value));
            } else {
                request.put(field, value);
            }
        }
        return request;
    }

    static Invoker invoker(Map<String, String> env) throws IOException, InterruptedException {
        String aws = env.getOrDefault("AWS", "aws");
        boolean cli = onPath(aws, env.getOrDefault("PATH", ""));
        Path work = Path.of("target", "ops");
        if ("1".equals(env.get("LOCAL"))) {
            return cli ? AwsCliInvoker.forLocal(aws, LOCAL_ENDPOINT, LOCAL_FUNCTION, work)
                    : new LocalInvoker(LOCAL_ENDPOINT, LOCAL_FUNCTION);
        }
        String stack = env.getOrDefault("STACK", "");
        if (stack.isEmpty()) {
            throw new IllegalArgumentException("Say which dispatcher: STACK=<deployed stack> or LOCAL=1 (make local)");
        }
        if (!cli) {
            throw new IllegalArgumentException("The AWS CLI ('" + aws + "', v1 or v2) is not installed: "
                    + "https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html");
        }
        return AwsCliInvoker.forStack(aws, stack, work);
    }

    private static boolean onPath(String command, String path) {
        if (command.contains("/")) {
            return Path.of(command).toFile().canExecute();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Path.of(dir, command).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }

    static void print(PrintStream out, String text) {
        out.print(text);
        out.flush();
    }
}
