package dev.backfill.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime loop of the AWS runtime interface client, in plain Java, for systems the client has no native library
 * for (macOS, Windows): loads the function from the task root (its classes and {@code lib/*.jar}) in a class loader of
 * its own, as the client does, and runs a stream handler ({@code Class::method}) for each event of the runtime API.
 * On Linux the real client runs instead. It is copied alone to the function's class path, so it uses nothing but
 * the JDK and aws-lambda-java-core, and no nested classes.
 */
public final class PortableRuntimeClient {

    private PortableRuntimeClient() {
    }

    public static void main(String[] args) throws Exception {
        String[] handler = args[0].split("::");
        File root = new File(System.getProperty("user.dir"));
        List<URL> classPath = new ArrayList<>(List.of(root.toURI().toURL()));
        File[] jars = new File(root, "lib").listFiles((dir, name) -> name.endsWith(".jar"));
        for (File jar : jars == null ? new File[0] : jars) {
            classPath.add(jar.toURI().toURL());
        }
        // The system class loader is the parent, so aws-lambda-java-core's Context is the one implemented here.
        ClassLoader loader = new URLClassLoader(classPath.toArray(URL[]::new), ClassLoader.getSystemClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> type = Class.forName(handler[0], true, loader);
        Object instance = type.getDeclaredConstructor().newInstance();
        Method method = type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);
        String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/";
        while (true) {
            HttpURLConnection next = (HttpURLConnection) URI.create(api + "next").toURL().openConnection();
            byte[] event;
            try (InputStream in = next.getInputStream()) {
                event = in.readAllBytes();
            }
            String requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                method.invoke(instance, new ByteArrayInputStream(event), out, context(requestId, next));
                post(api + requestId + "/response", out.toByteArray(), null);
            } catch (InvocationTargetException e) {
                Throwable error = e.getCause();
                error.printStackTrace();
                post(api + requestId + "/error", errorDocument(error), error.getClass().getName());
            }
        }
    }

    private static Context context(String requestId, HttpURLConnection next) {
        long deadline = next.getHeaderFieldLong("Lambda-Runtime-Deadline-Ms", Long.MAX_VALUE);
        String arn = next.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
        LambdaLogger logger = (LambdaLogger) Proxy.newProxyInstance(Context.class.getClassLoader(),
                new Class<?>[] {LambdaLogger.class}, (proxy, m, a) -> {
                    System.out.println(a[0] instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                            : String.valueOf(a[0]));
                    return null;
                });
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, m, a) -> switch (m.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getInvokedFunctionArn" -> arn;
                    case "getFunctionName" -> System.getenv("AWS_LAMBDA_FUNCTION_NAME");
                    case "getFunctionVersion" -> System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
                    case "getLogGroupName" -> System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
                    case "getLogStreamName" -> System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
                    case "getMemoryLimitInMB" -> Integer.parseInt(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
                    case "getRemainingTimeInMillis" -> (int) Math.min(Integer.MAX_VALUE,
                            deadline - System.currentTimeMillis());
                    case "getLogger" -> logger;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    case "toString" -> "Context(" + requestId + ")";
                    default -> null;
                });
    }

    /** Lambda's error document: {@code {"errorMessage":..,"errorType":..,"stackTrace":[..]}}. */
    private static byte[] errorDocument(Throwable error) {
        StringBuilder json = new StringBuilder("{\"errorMessage\":").append(quote(String.valueOf(error.getMessage())))
                .append(",\"errorType\":").append(quote(error.getClass().getName())).append(",\"stackTrace\":[");
        StackTraceElement[] trace = error.getStackTrace();
        for (int i = 0; i < trace.length; i++) {
            json.append(i == 0 ? "" : ",").append(quote(trace[i].toString()));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static void post(String url, byte[] body, String errorType) throws IOException {
        HttpURLConnection post = (HttpURLConnection) URI.create(url).toURL().openConnection();
        post.setRequestMethod("POST");
        post.setDoOutput(true);
        post.setRequestProperty("Content-Type", "application/json");
        if (errorType != null) {
            post.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        }
        post.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = post.getOutputStream()) {
            out.write(body);
        }
        if (post.getResponseCode() / 100 != 2) {
            throw new IOException("The runtime API answered " + post.getResponseCode() + " to " + url);
        }
        post.getInputStream().close();
    }
}
