package org.jrcmgr.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Writes {@code RESULTS.md} from every {@code results-jdkNN.json} (and its {@code -env.json}) in a
 * directory: each figure of issue 8 with its peers beside it, one column pair per JDK, then one line
 * per target with the measured value and whether it is met.
 */
public final class Report {

    private static final String ALLOC = "AllocFreeBenchmark.";
    private static final String RESERVE = "ReserveReleaseBenchmark.";
    private static final String SCALING = "ScalingBenchmark.";
    private static final String LIFECYCLE = "LifecycleBenchmark.";
    private static final String LIMITER = "LimiterBenchmark.";

    /** How a run was made: forks x (warm-up + measured) iterations, as JMH's JSON records them. */
    private static String settings(JsonNode results) {
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (JsonNode b : results) {
            seen.add(b.path("forks").asText("?") + " fork x (" + b.path("warmupIterations").asText("?") + " x "
                    + b.path("warmupTime").asText("?") + " warm-up + " + b.path("measurementIterations").asText("?")
                    + " x " + b.path("measurementTime").asText("?") + " measured)");
        }
        return String.join("; ", seen);
    }

    /** One benchmark's figures on one JDK. */
    record Score(double score, double error, String unit, double bytesPerOp) {
    }

    /** One JDK's run. */
    record Run(String name, Map<String, Score> scores, JsonNode env) {
        Score get(String key) {
            return scores.get(key);
        }
    }

    private final List<Run> runs;
    private final StringBuilder md = new StringBuilder();

    private Report(List<Run> runs) {
        this.runs = runs;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "results");
        List<Run> runs = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        Map<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.matches("results-jdk\\d+\\.json")) {
                    files.put(Integer.parseInt(name.replaceAll("\\D", "")), p);
                }
            });
        }
        for (Map.Entry<Integer, Path> e : files.entrySet()) {
            Map<String, Score> scores = new LinkedHashMap<>();
            for (JsonNode b : json.readTree(e.getValue().toFile())) {
                String key = b.get("benchmark").asText().replace("org.jrcmgr.benchmarks.", "");
                JsonNode params = b.get("params");
                if (params != null) {
                    for (Map.Entry<String, JsonNode> p : params.properties()) {
                        key += ":" + p.getKey() + "=" + p.getValue().asText();
                    }
                }
                JsonNode primary = b.get("primaryMetric");
                JsonNode norm = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
                scores.put(key, new Score(primary.get("score").asDouble(), primary.get("scoreError").asDouble(),
                        primary.get("scoreUnit").asText(), norm.isMissingNode() ? Double.NaN
                                : norm.get("score").asDouble()));
            }
            Path envFile = e.getValue().resolveSibling("results-jdk" + e.getKey() + "-env.json");
            com.fasterxml.jackson.databind.node.ObjectNode env = Files.exists(envFile)
                    ? (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(envFile.toFile())
                    : json.createObjectNode();
            env.put("settings", settings(json.readTree(e.getValue().toFile())));
            runs.add(new Run("JDK " + e.getKey(), scores, env));
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("no results-jdkNN.json in " + dir.toAbsolutePath());
        }
        Path out = dir.resolve("RESULTS.md");
        Files.writeString(out, new Report(runs).write());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private String write() {
        line("# Benchmark results");
        line("");
        line("Written by `benchmarks/run.sh` (issue 8) from " + String.join(" and ",
                runs.stream().map(r -> "`results-jdk" + r.name().substring(4) + ".json`").toList())
                + " beside this file; every figure of a table comes from the same JMH run (one per JDK).");
        line("");
        line("**Read the numbers as ratios, not absolutes.** The machine has 2 cores and other builds may have run "
                + "at the same time (the load averages below say how busy it was); each benchmark is one fork of "
                + "3 warm-up (5 for the lifecycles, 2 for the lookups) and 5 measured (4 for the lookups) one-second "
                + "iterations, so the error (JMH's 99.9% "
                + "interval, shown as ±) is wide, and a difference smaller than the two errors together is not a difference.");
        line("");
        line("| | " + join(r -> r.name()) + " |");
        line("|---|" + join(r -> "---") + "|");
        line("| JVM | " + join(r -> r.env().path("jdk").asText("?")) + " |");
        line("| CPUs | " + join(r -> r.env().path("cpus").asText("?")) + " |");
        line("| started | " + join(r -> r.env().path("start").asText("?")) + " |");
        line("| load average (1/5/15 min) at start | " + join(r -> r.env().path("loadAverageAtStart").asText("?"))
                + " |");
        line("| load average at end | " + join(r -> r.env().path("loadAverageAtEnd").asText("?")) + " |");
        line("| iterations | " + join(r -> r.env().path("settings").asText("?")) + " |");
        line("");
        line("B/op is JMH's `gc.alloc.rate.norm` (`-prof gc`): heap bytes allocated per operation. "
                + "\"observers\" are the builder's defaults (JDK Flight Recorder refusal events and the refusal "
                + "summary log); \"no observers\" is `flightRecorder(false).refusalSummary(null)`.");
        line("");

        section("1. Allocate and free 4 KiB off-heap", "One thread. jrcmgr reserves through a stream with "
                + "its six edges (peer, protocol-peer, service-peer, protocol, service, system) and allocates "
                + "with chronicle's allocator; Arrow's child allocator keeps books in a two-level tree; Netty's "
                + "allocators keep none; `ByteBuffer.allocateDirect` zeroes the memory and counts it against "
                + "`MaxDirectMemorySize`. chronicle's `NativeBytesStore` is released the way chronicle does by "
                + "default, on its background releaser thread.", "ns/op", List.of(
                row("jrcmgr `OffHeap.allocate` + `close`, observers", ALLOC + "jrcmgrOffHeap"),
                row("jrcmgr `OffHeap.allocate` + `close`, no observers", ALLOC + "jrcmgrOffHeapNoObservers"),
                row("Apache Arrow 19 child allocator (accounted)", ALLOC + "arrowChildAllocator"),
                row("Netty 4.2.18 `PooledByteBufAllocator` direct", ALLOC + "nettyPooledDirect"),
                row("Netty 4.2.18 `AdaptiveByteBufAllocator` direct", ALLOC + "nettyAdaptiveDirect"),
                row("`ByteBuffer.allocateDirect` + `Unsafe.invokeCleaner`", ALLOC + "directByteBufferCleaner"),
                row("chronicle `OS.memory()` allocate + free (raw)", ALLOC + "chronicleMemory"),
                row("chronicle `NativeBytesStore` + `releaseLast`", ALLOC + "chronicleNativeBytesStore")));

        section("2. reserveMemory + releaseMemory, one thread", "4 KiB on a stream with six edges. "
                + "\"reserve alone\" is 64 reservations then one release of them all, per reservation.", "ns/op",
                List.of(row("reserveMemory + releaseMemory, observers", RESERVE + "reserveRelease"),
                        row("reserveMemory + releaseMemory, no observers", RESERVE + "reserveReleaseNoObservers"),
                        row("tryReserveMemory + releaseMemory, no observers", RESERVE + "tryReserveReleaseNoObservers"),
                        row("reserve alone, observers", RESERVE + "reserveOnly"),
                        row("reserve alone, no observers", RESERVE + "reserveOnlyNoObservers")));

        section("3. reserveMemory + releaseMemory, one and two threads", "Throughput of all threads together; "
                + "the two threads reserve on streams of two peers, which share the protocol, service and system "
                + "scopes. The ratio is two-thread throughput over one-thread throughput (1.0 = no gain, "
                + "2.0 = perfect scaling on the 2 cores).", "ops/us", List.of(
                row("one thread, observers", SCALING + "oneThread"),
                row("two threads, observers", SCALING + "twoThreads"),
                row("one thread, no observers", SCALING + "oneThreadNoObservers"),
                row("two threads, no observers", SCALING + "twoThreadsNoObservers")));
        line("| **scaling ratio, observers** | " + join(r -> ratio(r, SCALING + "twoThreads", SCALING + "oneThread"))
                + " |");
        line("| **scaling ratio, no observers** | " + join(r -> ratio(r, SCALING + "twoThreadsNoObservers",
                SCALING + "oneThreadNoObservers")) + " |");
        line("");

        section("4. Whole lifecycles", "Stream: openStream, setProtocol, setService, one 4 KiB reservation, "
                + "done. Connection (from a public IPv4 address, counted by the per-address limiter; rate "
                + "limit off): openConnection, setPeer, done. Peer, protocol and service scopes exist already.",
                "ns/op", List.of(row("stream lifecycle, observers", LIFECYCLE + "stream"),
                        row("stream lifecycle, no observers", LIFECYCLE + "streamNoObservers"),
                        row("connection lifecycle, observers", LIFECYCLE + "connection"),
                        row("connection lifecycle, no observers", LIFECYCLE + "connectionNoObservers")));

        section("5. Refused reservations, at the limit", "4 KiB at HIGH. \"by the stream\": the stream holds "
                + "its whole limit, so its own check refuses; \"by the system\": five edges admit, the system "
                + "(the last edge) refuses, and the five are rolled back. `tryReserveMemory` returns false; "
                + "`reserveMemory` throws `ResourceLimitExceededException` (no stack trace). Compare with "
                + "\"reserve alone\" of figure 2.", "ns/op", List.of(
                row("success: reserve alone, observers", RESERVE + "reserveOnly"),
                row("success: reserve alone, no observers", RESERVE + "reserveOnlyNoObservers"),
                row("tryReserveMemory refused by the stream, observers", RESERVE + "refusedTryByStream"),
                row("tryReserveMemory refused by the stream, no observers", RESERVE + "refusedTryByStreamNoObservers"),
                row("tryReserveMemory refused by the system, observers", RESERVE + "refusedTryBySystem"),
                row("tryReserveMemory refused by the system, no observers", RESERVE + "refusedTryBySystemNoObservers"),
                row("reserveMemory throws, refused by the stream, observers", RESERVE + "refusedThrowByStream"),
                row("reserveMemory throws, refused by the system, observers", RESERVE + "refusedThrowBySystem"),
                row("reserveMemory throws, refused by the system, no observers",
                        RESERVE + "refusedThrowBySystemNoObservers")));

        List<String[]> limiterRows = new ArrayList<>();
        for (String entries : List.of("1000", "10000")) {
            String p = ":entries=" + entries;
            limiterRows.add(row("connection limiter, network prefix (add + remove), " + entries + " networks",
                    LIMITER + "connLimiterNetwork" + p));
            limiterRows.add(row("connection limiter, per subnet (add + remove), " + entries + " addresses counted",
                    LIMITER + "connLimiterSubnet" + p));
            limiterRows.add(row("allowlist `allowed`, hit, " + entries + " entries", LIMITER + "allowlistHit" + p));
            limiterRows.add(row("allowlist `allowed`, miss, " + entries + " entries", LIMITER + "allowlistMiss" + p));
            limiterRows.add(row("reference: go-libp2p's linear scan, miss, " + entries + " entries",
                    LIMITER + "allowlistGoLinearScanMiss" + p));
        }
        section("6. Connection limiter and allowlist lookups", "Each call takes the next of 1,024 probe "
                + "addresses. The linear scan is go-libp2p's allowlist algorithm reimplemented here as a "
                + "reference (go scans its list of networks; jrcmgr walks a prefix trie).", "ns/op", limiterRows);

        targets();
        return md.toString();
    }

    private void targets() {
        line("## Targets (issue 8)");
        line("");
        line("| target | " + join(r -> r.name()) + " |");
        line("|---|" + join(r -> "---") + "|");
        line("| 1. allocate + free 4 KiB no slower than Arrow's child allocator (no observers) | "
                + join(r -> compare(r, ALLOC + "jrcmgrOffHeapNoObservers", ALLOC + "arrowChildAllocator", "Arrow"))
                + " |");
        line("| 1. the same, with the default observers | "
                + join(r -> compare(r, ALLOC + "jrcmgrOffHeap", ALLOC + "arrowChildAllocator", "Arrow")) + " |");
        line("| 1. aim: as fast as Netty's pooled allocator (no observers) | "
                + join(r -> compare(r, ALLOC + "jrcmgrOffHeapNoObservers", ALLOC + "nettyPooledDirect", "Netty pooled"))
                + " |");
        line("| 2. reserve + release at most 100 ns, ~0 B/op (no observers) | "
                + join(r -> limit(r, RESERVE + "reserveReleaseNoObservers", 100)) + " |");
        line("| 2. the same, with the default observers | " + join(r -> limit(r, RESERVE + "reserveRelease", 100))
                + " |");
        line("| 3. two-thread throughput not below one-thread (no observers) | "
                + join(r -> scaling(r, SCALING + "twoThreadsNoObservers", SCALING + "oneThreadNoObservers")) + " |");
        line("| 3. the same, with the default observers | "
                + join(r -> scaling(r, SCALING + "twoThreads", SCALING + "oneThread")) + " |");
        line("| 4. stream and connection lifecycles (no numeric target): observers / no observers | "
                + join(r -> lifecycle(r)) + " |");
        line("| 5. refused `tryReserveMemory` (by the system, the worst case) no slower than a successful "
                + "reservation, 0 B/op (no observers) | " + join(r -> refusal(r, RESERVE + "refusedTryBySystemNoObservers",
                RESERVE + "reserveOnlyNoObservers")) + " |");
        line("| 5. the same, refused by the stream itself (no observers) | " + join(r -> refusal(r,
                RESERVE + "refusedTryByStreamNoObservers", RESERVE + "reserveOnlyNoObservers")) + " |");
        line("| 5. refused `tryReserveMemory` by the system, with the default observers | " + join(r -> refusal(r,
                RESERVE + "refusedTryBySystem", RESERVE + "reserveOnly")) + " |");
        line("| 5. refused `reserveMemory` (throws) by the system, no slower than success (no observers) | "
                + join(r -> refusalThrow(r, RESERVE + "refusedThrowBySystemNoObservers",
                RESERVE + "reserveOnlyNoObservers")) + " |");
        line("");
        line("\"met\" compares the mean scores; where the two intervals overlap the verdict says so.");
    }

    // ---- verdicts ------------------------------------------------------------------------------------

    private static String compare(Run r, String ours, String theirs, String name) {
        Score a = r.get(ours);
        Score b = r.get(theirs);
        if (a == null || b == null) {
            return "not measured";
        }
        String verdict = a.score() <= b.score() ? "**met**" : "**missed**";
        return f(a.score()) + " ns vs " + name + " " + f(b.score()) + " ns: " + verdict + overlap(a, b);
    }

    private static String limit(Run r, String key, double ns) {
        Score a = r.get(key);
        if (a == null) {
            return "not measured";
        }
        boolean fast = a.score() <= ns;
        boolean noAlloc = !(a.bytesPerOp() >= 1);
        return f(a.score()) + " ± " + f(a.error()) + " ns, " + bytes(a.bytesPerOp()) + " B/op: "
                + (fast && noAlloc ? "**met**" : "**missed**" + (fast ? " (allocates)" : noAlloc ? "" : ""));
    }

    private static String scaling(Run r, String two, String one) {
        Score a = r.get(two);
        Score b = r.get(one);
        if (a == null || b == null) {
            return "not measured";
        }
        double ratio = a.score() / b.score();
        return String.format(Locale.ROOT, "%.2fx (%s vs %s ops/us): %s", ratio, f(a.score()), f(b.score()),
                ratio >= 1 ? "**met**" : "**missed**") + overlap(a, b);
    }

    private static String refusal(Run r, String refused, String success) {
        Score a = r.get(refused);
        Score b = r.get(success);
        if (a == null || b == null) {
            return "not measured";
        }
        boolean met = a.score() <= b.score() && !(a.bytesPerOp() >= 1);
        return f(a.score()) + " ns, " + bytes(a.bytesPerOp()) + " B/op vs success " + f(b.score()) + " ns: "
                + (met ? "**met**" : "**missed**") + overlap(a, b);
    }

    private static String refusalThrow(Run r, String refused, String success) {
        Score a = r.get(refused);
        Score b = r.get(success);
        if (a == null || b == null) {
            return "not measured";
        }
        return f(a.score()) + " ns, " + bytes(a.bytesPerOp()) + " B/op (the exception) vs success " + f(b.score())
                + " ns: " + (a.score() <= b.score() ? "**met**" : "**missed**") + overlap(a, b);
    }

    private static String lifecycle(Run r) {
        Score s = r.get(LIFECYCLE + "stream");
        Score sb = r.get(LIFECYCLE + "streamNoObservers");
        Score c = r.get(LIFECYCLE + "connection");
        Score cb = r.get(LIFECYCLE + "connectionNoObservers");
        if (s == null || sb == null || c == null || cb == null) {
            return "not measured";
        }
        return "stream " + f(s.score()) + " / " + f(sb.score()) + " ns, " + bytes(s.bytesPerOp()) + " / "
                + bytes(sb.bytesPerOp()) + " B/op; connection " + f(c.score()) + " / " + f(cb.score()) + " ns, "
                + bytes(c.bytesPerOp()) + " / " + bytes(cb.bytesPerOp()) + " B/op: reported";
    }

    private static String overlap(Score a, Score b) {
        boolean overlaps = Math.abs(a.score() - b.score()) <= a.error() + b.error();
        return overlaps ? " (within the error)" : "";
    }

    private static String ratio(Run r, String two, String one) {
        Score a = r.get(two);
        Score b = r.get(one);
        return a == null || b == null ? "-" : String.format(Locale.ROOT, "**%.2fx**", a.score() / b.score());
    }

    // ---- tables --------------------------------------------------------------------------------------

    private static String[] row(String label, String key) {
        return new String[] {label, key};
    }

    private void section(String title, String text, String unit, List<String[]> rows) {
        line("## " + title);
        line("");
        line(text);
        line("");
        StringBuilder header = new StringBuilder("| variant |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Run r : runs) {
            header.append(' ').append(r.name()).append(' ').append(unit).append(" | ").append(r.name())
                    .append(" B/op |");
            rule.append("---:|---:|");
        }
        line(header.toString());
        line(rule.toString());
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder("| ").append(row[0]).append(" |");
            for (Run r : runs) {
                Score s = r.get(row[1]);
                if (s == null) {
                    b.append(" - | - |");
                } else {
                    b.append(' ').append(f(s.score())).append(" ± ").append(f(s.error())).append(" | ")
                            .append(bytes(s.bytesPerOp())).append(" |");
                }
            }
            line(b.toString());
        }
        if (!unit.equals("ops/us")) {
            line("");
        }
    }

    private String join(Function<Run, String> cell) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            b.append(i == 0 ? "" : " | ").append(cell.apply(runs.get(i)));
        }
        return b.toString();
    }

    private static String f(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        return v < 0.01 ? "0" : v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.0f", v);
    }

    private void line(String s) {
        md.append(s).append('\n');
    }
}
