package dev.backfill.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The deployed dispatcher through the AWS CLI, v1 or v2 alike: the payload goes as {@code fileb://} (bytes as they
 * are under both), the answer to a file, and the function error is read with {@code --query}. On a deployed stack it
 * invokes the dispatcher's alias {@code live} (the stack's {@code DispatcherAliasArn} output): the published version,
 * which SnapStart applies to, never {@code $LATEST}.
 */
final class AwsCliInvoker implements Invoker {

    private final String aws;
    private final List<String> endpoint;
    private final String function;
    private final Path work;

    private AwsCliInvoker(String aws, List<String> endpoint, String function, Path work) {
        this.aws = aws;
        this.endpoint = endpoint;
        this.function = function;
        this.work = work;
    }

    /** The dispatcher of a deployed stack: its alias from the stack's {@code DispatcherAliasArn} output. */
    static AwsCliInvoker forStack(String aws, String stack, Path work) throws IOException, InterruptedException {
        String name = run(List.of(aws, "cloudformation", "describe-stacks", "--stack-name", stack, "--query",
                "Stacks[0].Outputs[?OutputKey=='DispatcherAliasArn'].OutputValue", "--output", "text")).trim();
        if (name.isEmpty() || name.equals("None")) {
            throw new IOException("Stack " + stack + " has no DispatcherAliasArn output: is it deployed?");
        }
        return new AwsCliInvoker(aws, List.of(), name, work);
    }

    /** The local stack through the real CLI, pointed at its endpoint with the local region and credentials. */
    static AwsCliInvoker forLocal(String aws, String endpoint, String function, Path work) {
        return new AwsCliInvoker(aws, List.of("--endpoint-url", endpoint, "--region", "us-east-1"), function, work);
    }

    @Override
    public String invoke(String request) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path in = work.resolve("request.json");
        Path out = work.resolve("answer.json");
        Files.writeString(in, request);
        List<String> command = new ArrayList<>(List.of(aws, "lambda", "invoke"));
        command.addAll(endpoint);
        command.addAll(List.of("--function-name", function, "--cli-read-timeout", "310", "--payload",
                "fileb://" + in.toAbsolutePath(), "--query", "FunctionError", "--output", "text",
                out.toAbsolutePath().toString()));
        String error = run(command).trim();
        String answer = Files.readString(out, StandardCharsets.UTF_8);
        if (!error.isEmpty() && !error.equals("None")) {
            JsonNode document = Json.mapper().readTree(answer);
            throw new FunctionErrorException(document.path("errorMessage").asText(answer));
        }
        return answer;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (command.contains("--endpoint-url")) {
            builder.environment().putIfAbsent("AWS_ACCESS_KEY_ID", "test");
            builder.environment().putIfAbsent("AWS_SECRET_ACCESS_KEY", "test");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command.subList(0, 3)) + " failed (exit " + process.exitValue()
                    + ")");
        }
        return output;
    }
}
