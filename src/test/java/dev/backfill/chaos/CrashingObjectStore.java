package dev.backfill.chaos;

import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Numbers every request and aborts the attempt at one of them — just before it is sent, or just after its answer
 * arrived — with a {@link Crash}, as a process that dies there would leave things. Fires once per arming; records
 * the requests it saw, so a fault-free run lists the steps to crash at.
 */
final class CrashingObjectStore extends ForwardingObjectStore {

    enum When { BEFORE, AFTER }

    /**
     * The attempt died here. An {@link Error}, so that no {@code catch (RuntimeException e)} of the worker — its
     * best-effort cleanup, its ledger writes — survives it: like a killed process, it ends the attempt where it is.
     */
    static final class Crash extends Error {
        Crash(String step) {
            super("crash " + step);
        }
    }

    private final List<String> trace = new ArrayList<>();
    private int armedAt = -1;
    private When when;
    private List<String> lastDelivery = List.of();

    CrashingObjectStore(ObjectStore delegate) {
        super(delegate);
    }

    /** From now on, count requests from 0 and crash at request {@code index}, {@code when}. */
    synchronized void arm(int index, When when) {
        trace.clear();
        this.armedAt = index;
        this.when = when;
    }

    /** Count requests from 0 and crash at none. */
    synchronized void disarm() {
        trace.clear();
        armedAt = -1;
    }

    synchronized List<String> trace() {
        return List.copyOf(trace);
    }

    /** Keeps the requests counted since the last arming, for {@link #lastDelivery()}. */
    synchronized void keepLastDelivery() {
        lastDelivery = List.copyOf(trace);
    }

    /** The requests of the delivery kept last. */
    synchronized List<String> lastDelivery() {
        return lastDelivery;
    }

    private <T> T call(String request, Supplier<T> send) {
        boolean crashHere;
        String step;
        synchronized (this) {
            crashHere = trace.size() == armedAt;
            step = trace.size() + " " + request;
            trace.add(request);
            if (crashHere) {
                armedAt = -1;
            }
        }
        if (crashHere && when == When.BEFORE) {
            throw new Crash("before " + step);
        }
        T answer = send.get();
        if (crashHere) {
            throw new Crash("after " + step);
        }
        return answer;
    }

    private static String shape(String key) {
        // Steps are named by what they touch, not by the attempt-specific key, so dry and crash runs line up.
        return key.replaceAll("f\\d+-a\\d+-[0-9a-z]+", "<token>").replaceAll("dt=[0-9-]+", "dt=D")
                .replaceAll("runs/[^/]+/", "runs/<run>/");
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return call("GET " + shape(key), () -> super.get(key));
    }

    @Override
    public Optional<StoredObject> getVersion(String key, String versionId) {
        return call("GET " + shape(key) + "?versionId", () -> super.getVersion(key, versionId));
    }

    @Override
    public ObjectStream open(String key) {
        return call("GET (stream) " + shape(key), () -> super.open(key));
    }

    @Override
    public ObjectStream openVersion(String key, String versionId) {
        return call("GET (stream) " + shape(key) + "?versionId", () -> super.openVersion(key, versionId));
    }

    @Override
    public ObjectVersion put(String key, byte[] content) {
        return call("PUT " + shape(key), () -> super.put(key, content));
    }

    @Override
    public ObjectVersion put(String key, Path file) {
        return call("PUT " + shape(key), () -> super.put(key, file));
    }

    @Override
    public ObjectVersion copy(String source, String target) {
        return call("COPY " + shape(source) + " -> " + shape(target), () -> super.copy(source, target));
    }

    @Override
    public ObjectVersion putIfAbsent(String key, byte[] content) {
        return call("PUT If-None-Match " + shape(key), () -> super.putIfAbsent(key, content));
    }

    @Override
    public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
        return call("PUT If-Match " + shape(key), () -> super.putIfMatch(key, content, etag));
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        return call("LIST " + shape(prefix), () -> super.list(prefix));
    }

    @Override
    public Page listPage(String prefix, String startAfter) {
        return call("LIST " + shape(prefix), () -> super.listPage(prefix, startAfter));
    }

    @Override
    public List<ObjectVersionSummary> listVersions(String prefix) {
        return call("LIST versions " + shape(prefix), () -> super.listVersions(prefix));
    }

    @Override
    public int deleteAll(Collection<String> keys) {
        return call("DELETE " + keys.size() + " keys", () -> super.deleteAll(keys));
    }
}
