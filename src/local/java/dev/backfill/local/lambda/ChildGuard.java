package dev.backfill.local.lambda;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of a JVM function process: ends the process when its standard input closes, which happens when the
 * local stack's JVM exits for any reason (even {@code kill -9}), then hands over to the AWS runtime interface client,
 * or where that has no native library, to {@link PortableRuntimeClient}. Copied with that class alone into a
 * class-path directory of their own, so the function sees nothing else of the local stack.
 */
public final class ChildGuard {

    private ChildGuard() {
    }

    /** {@code ric|portable handler}. */
    public static void main(String[] args) throws Throwable {
        Thread watcher = new Thread(ChildGuard::haltWhenParentGoes, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        String[] handler = {args[1]};
        if (args[0].equals("portable")) {
            PortableRuntimeClient.main(handler);
        } else {
            AWSLambda.main(handler);
        }
    }

    private static void haltWhenParentGoes() {
        try {
            InputStream in = System.in;
            while (in.read() != -1) {
                // Nothing is ever written; only the end of the stream matters.
            }
        } catch (IOException e) {
            // A broken pipe means the same: the parent is gone.
        }
        Runtime.getRuntime().halt(0);
    }

    /** Writes this class and {@link PortableRuntimeClient} into {@code classesDir}, a class path of their own. */
    static void installInto(Path classesDir) throws IOException {
        for (Class<?> type : new Class<?>[] {ChildGuard.class, PortableRuntimeClient.class}) {
            String resource = type.getName().replace('.', '/') + ".class";
            Path target = classesDir.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("Class file " + resource + " not found on the class path");
                }
                Files.copy(in, target);
            }
        }
    }
}
