package org.jrcmgr.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a node's {@code /snapshot} every few hundred milliseconds while a storm runs, so that the
 * peaks of scopes that live only during the storm (peers, protocols and services of a peer) are
 * checked against their limits too, not only those still alive at the end. Every sample is checked
 * with {@link Control#violations}; the largest peak seen of each scope is kept for the report.
 *
 * <p>Bounded: it stops when closed, and a background thread that outlives its test is a daemon.
 */
public final class PeakWatcher implements AutoCloseable {

    /** The largest peak seen of a scope, with its limit, by resource. */
    public record Seen(String name, String kind, Map<String, Long> peak, Map<String, String> limit) {
    }

    private final Control control;
    private final Thread thread;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger failedSamples = new AtomicInteger();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    /**
     * Starts sampling.
     *
     * @param control the node's endpoint
     * @param periodMillis the time between samples
     */
    public PeakWatcher(Control control, long periodMillis) {
        this.control = control;
        this.thread = new Thread(() -> {
            while (running) {
                sampleOnce();
                try {
                    TimeUnit.MILLISECONDS.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peak-watcher-" + control.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes one sample now (also called by the thread). */
    public void sampleOnce() {
        JsonNode snapshot;
        try {
            snapshot = control.snapshot();
        } catch (Exception e) {
            failedSamples.incrementAndGet();
            lastError.set(String.valueOf(e));
            return;
        }
        accept(snapshot);
    }

    /** Checks and records one snapshot taken elsewhere. */
    public void accept(JsonNode snapshot) {
        samples.incrementAndGet();
        for (String v : Control.violations(snapshot)) {
            if (violations.size() < 100 && !violations.contains(v)) {
                violations.add(v);
            }
        }
        for (JsonNode s : snapshot.path("scopes")) {
            String name = s.path("name").asText();
            Map<String, Long> peak = new TreeMap<>();
            s.path("peak").fields().forEachRemaining(e -> peak.put(e.getKey(), e.getValue().asLong()));
            Map<String, String> limit = new TreeMap<>();
            s.path("limit").fields().forEachRemaining(e -> limit.put(e.getKey(), e.getValue().asText()));
            seen.merge(name, new Seen(name, s.path("kind").asText(), peak, limit), (a, b) -> {
                Map<String, Long> max = new TreeMap<>(a.peak());
                b.peak().forEach((k, v) -> max.merge(k, v, Math::max));
                return new Seen(name, b.kind(), max, b.limit());
            });
        }
    }

    /** Stops sampling (and takes no more samples). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(15_000);
    }

    /** Every peak above its limit seen in any sample. */
    public List<String> violations() {
        synchronized (violations) {
            return new ArrayList<>(violations);
        }
    }

    /** Samples taken. */
    public int samples() {
        return samples.get();
    }

    /** Samples that could not be read (the last error is in {@link #lastError()}). */
    public int failedSamples() {
        return failedSamples.get();
    }

    /** The last error reading a sample, or null. */
    public String lastError() {
        return lastError.get();
    }

    /** How many distinct scopes were seen. */
    public int scopesSeen() {
        return seen.size();
    }

    /**
     * The largest peak of each scope kind (over all scopes of that kind, for peers, protocols, ...),
     * with the limit of the scope that had it: one {@link Seen} per kind, named by the kind.
     */
    public Map<String, Seen> byKind(String resource) {
        Map<String, Seen> out = new TreeMap<>();
        for (Seen s : seen.values()) {
            out.merge(s.kind(), s, (a, b) -> a.peak().getOrDefault(resource, 0L) >= b.peak().getOrDefault(resource, 0L) ? a : b);
        }
        return out;
    }

    /** The largest peak seen of one scope, or null if it was never seen. */
    public Seen scope(String name) {
        return seen.get(name);
    }

    /**
     * A table of the largest peak of each scope kind against its limit, for the resources a storm
     * fills: inbound connections, inbound streams, memory.
     */
    public String table() {
        StringBuilder b = new StringBuilder(String.format("    %-22s %-16s %-16s %-22s%n", "scope kind (max)",
                "conns in", "streams in", "memory"));
        Map<String, Seen> conns = byKind("connsInbound");
        Map<String, Seen> streams = byKind("streamsInbound");
        Map<String, Seen> memory = byKind("memory");
        for (String kind : conns.keySet()) {
            b.append(String.format("    %-22s %-16s %-16s %-22s%n", kind,
                    cell(conns.get(kind), "connsInbound"), cell(streams.get(kind), "streamsInbound"),
                    cell(memory.get(kind), "memory")));
        }
        b.append(String.format("    (%d samples of /snapshot, %d scopes seen, %d peak(s) above a limit)%n",
                samples(), scopesSeen(), violations().size()));
        return b.toString();
    }

    private static String cell(Seen s, String resource) {
        if (s == null) {
            return "-";
        }
        String limit = s.limit().getOrDefault(resource, "?");
        if ("unlimited".equals(limit)) {
            limit = "inf";
        }
        return s.peak().getOrDefault(resource, 0L) + "/" + limit;
    }
}
