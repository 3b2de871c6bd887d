package org.jrcmgr.node.demo;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.Direction;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.node.Node;
import org.jrcmgr.node.NodeConfig;
import org.jrcmgr.node.StateJson;
import org.jrcmgr.node.protocol.Exchanges;
import org.jrcmgr.node.protocol.Protocols;
import org.jrcmgr.node.storm.Storm;
import org.jrcmgr.node.storm.StormConfig;
import org.jrcmgr.node.storm.StormReport;
import org.jrcmgr.offheap.OffHeapStats;

/**
 * The README's demo: three nodes in this process on loopback. {@code alpha} has small limits
 * ({@code demo-limits.json}); {@code beta} and {@code gamma} storm it in waves, each wave eight
 * connections apiece with six streams each (echo, slow and bulk), more than alpha's limits admit.
 * A live table shows alpha's scopes against their limits; the report at the end shows what was
 * admitted and refused and why, every scope's peak against its limit, and that every scope and
 * all native memory went back to zero.
 *
 * <p>Loopback is exempt from go-libp2p's per-address limits, so the demo exercises scope limits:
 * transient and system (connections), peer (connections and streams), protocol (slow streams),
 * stream memory (the 1.5 MiB bulk transfers, reset with 0x1002 when the third 256 KiB chunk is refused).
 */
public final class Demo {

    /** How long one wave may take at most. */
    private static final Duration WAVE_BOUND = Duration.ofSeconds(6);

    /**
     * The demo's options.
     *
     * @param duration how long the storm goes on (waves start until then)
     * @param out      where to print
     * @param ansi     whether to redraw the table in place (a terminal) or print lines
     * @param refresh  how often the table is refreshed
     */
    public record Config(Duration duration, PrintStream out, boolean ansi, Duration refresh) {
        /** @throws NullPointerException if an argument is null */
        public Config {
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(refresh, "refresh");
        }
    }

    private Demo() {
    }

    /** Runs the demo and prints its report; returns what it proved. */
    public static DemoReport run(Config config) throws InterruptedException {
        PrintStream out = config.out();
        long start = System.nanoTime();
        ConcreteLimitConfig targetLimits = DemoLimits.target();
        try (Node alpha = Node.start(nodeConfig("alpha", targetLimits, 0));
             Node beta = Node.start(nodeConfig("beta", DemoLimits.stormer(), -1));
             Node gamma = Node.start(nodeConfig("gamma", DemoLimits.stormer(), -1))) {
            Map<String, String> names = new LinkedHashMap<>();
            for (Node n : List.of(alpha, beta, gamma)) {
                names.put(n.peerId().toBase58(), n.config().name());
            }
            banner(out, alpha, beta, gamma, targetLimits, config);
            StormReport storm = new StormReport();
            int[] wave = {0};
            ExecutorService stormers = Executors.newFixedThreadPool(3, r -> {
                Thread t = new Thread(r, "demo-storm");
                t.setDaemon(true);
                return t;
            });
            long stormStart = System.nanoTime();
            long stormEnd = stormStart + config.duration().toNanos();
            CompletableFuture<Void> waves = CompletableFuture.runAsync(() -> {
                try {
                    while (System.nanoTime() < stormEnd) {
                        wave[0]++;
                        CompletableFuture<StormReport> b = CompletableFuture.supplyAsync(
                                () -> storm(beta, alpha, 512 * 1024, storm), stormers);
                        CompletableFuture<StormReport> g = CompletableFuture.supplyAsync(
                                () -> storm(gamma, alpha, 1536 * 1024, storm), stormers);
                        CompletableFuture.allOf(b, g).join();
                    }
                } finally {
                    stormers.shutdown();
                }
            }, stormers);
            LiveTable table = new LiveTable(out, config.ansi(), names);
            long refreshMillis = Math.max(50, config.refresh().toMillis());
            while (!waves.isDone()) {
                table.show(alpha, storm, elapsedMillis(start), wave[0]);
                try {
                    waves.get(refreshMillis, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // Time to redraw.
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the demo's storm failed", e.getCause());
                }
            }
            table.show(alpha, storm, elapsedMillis(start), wave[0]);
            storm.finished(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stormStart), storm.deadlineReached());
            out.println();
            out.println("Storm over (" + wave[0] + " waves); waiting for every connection and stream to be released...");
            List<DemoReport.NodeCheck> checks = new ArrayList<>();
            for (Node n : List.of(alpha, beta, gamma)) {
                n.awaitIdle(Duration.ofSeconds(10));
                checks.add(check(n));
            }
            DemoReport report = new DemoReport(storm, checks, elapsedMillis(start));
            print(out, report, alpha, targetLimits);
            return report;
        }
    }

    private static NodeConfig nodeConfig(String name, ConcreteLimitConfig limits, int controlPort) {
        return NodeConfig.builder()
                .name(name)
                .listen("127.0.0.1", 0)
                .limits(limits)
                .control("127.0.0.1", controlPort)
                // The table shows refusals; a once-a-minute log line would only tear it.
                .refusalSummary(null)
                .slowMaxHold(Duration.ofSeconds(5))
                .build();
    }

    private static StormReport storm(Node from, Node target, long bulkBytes, StormReport into) {
        StormConfig config = new StormConfig(List.of(target.listenAddress()), 8, 6,
                List.of(Protocols.ECHO, Protocols.SLOW, Protocols.BULK), WAVE_BOUND, Duration.ofMillis(1500),
                new Exchanges.Settings(4096, bulkBytes, ReservationPriority.MEDIUM, Duration.ofMillis(2000)));
        try {
            return Storm.run(from, config, into);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long elapsedMillis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Every live scope's peaks against its limits, every scope's usage, and the allocator's books. */
    static DemoReport.NodeCheck check(Node node) {
        ResourceSnapshot snapshot = node.rcmgr().snapshot();
        List<String> exceeded = new ArrayList<>();
        List<String> nonZero = new ArrayList<>();
        for (ScopeSnapshot s : snapshot.scopes()) {
            for (Resource r : StateJson.exceeded(s)) {
                exceeded.add(s.name() + " " + r.label() + " peak " + s.peak().get(r) + " > limit " + s.limit().get(r));
            }
            if (!s.usage().isZero()) {
                nonZero.add(s.name() + " " + s.usage());
            }
        }
        OffHeapStats buffers = node.offHeap().stats();
        return new DemoReport.NodeCheck(node.config().name(), node.peerId().toBase58(), snapshot.scopes().size(),
                exceeded, nonZero, buffers, node.counters().connsRefused(), node.counters().streamsRefused(),
                node.counters().resetsSent());
    }

    private static void banner(PrintStream out, Node alpha, Node beta, Node gamma, ConcreteLimitConfig limits,
                               Demo.Config config) {
        out.println("jrcmgr demo: three nodes on loopback, every connection, stream and buffer through the resource manager.");
        for (Node n : List.of(alpha, beta, gamma)) {
            out.printf("  %-6s %s  %s%n", n.config().name(), n.peerId().toBase58(), n.listenMultiaddr());
        }
        InetSocketAddress control = alpha.controlAddress();
        out.printf("alpha's limits (demo-limits.json): system %d inbound conns, transient %d, %d per peer;"
                        + " %d inbound streams per peer, %d for /slow/1.0.0; %s per stream.%n",
                limits.system().connsInbound().capacity(), limits.transientLimit().connsInbound().capacity(),
                limits.peerDefault().connsInbound().capacity(), limits.peerDefault().streamsInbound().capacity(),
                limits.protocolLimit(Protocols.SLOW).streamsInbound().capacity(),
                Format.bytes(limits.stream().memory().capacity()));
        out.printf("beta and gamma storm alpha for %d s in waves of 8 connections x 6 streams each (echo 4 KiB,"
                + " slow 2 s, bulk 512 KiB from beta and 1.5 MiB from gamma).%n", config.duration().toSeconds());
        if (control != null) {
            out.printf("alpha's control endpoint while it runs: http://127.0.0.1:%d/snapshot (also /refusals,"
                    + " /peaks, /exactness, /metrics)%n", control.getPort());
        }
        out.println();
    }

    private static void print(PrintStream out, DemoReport report, Node alpha, ConcreteLimitConfig limits) {
        StormReport storm = report.storm();
        out.println();
        out.println("== Admitted and refused (the storming nodes' view) ==");
        out.print(storm.toTable());
        DemoReport.NodeCheck a = report.nodes().get(0);
        out.println();
        out.println("alpha's own count: connections refused " + a.connsRefused() + ", streams refused "
                + a.streamsRefused() + ", streams reset " + a.resetsSent());
        out.println();
        out.println("== Peaks against limits (alpha's long-lived scopes) ==");
        out.printf("%-44s %-11s %-13s %-15s %-7s%n", "scope", "conns in", "streams in", "memory", "fd");
        for (ScopeSnapshot s : alpha.rcmgr().snapshot().scopes()) {
            if (s.peak().isZero()) {
                continue;
            }
            boolean holdsConns = s.kind() == org.jrcmgr.ScopeKind.SYSTEM || s.kind() == org.jrcmgr.ScopeKind.TRANSIENT
                    || s.kind() == org.jrcmgr.ScopeKind.PEER;
            out.printf("%-44s %-11s %-13s %-15s %-7s%s%n", StormReportText.abbreviate(label(s.name(), report), 44),
                    holdsConns ? Format.used(s.peak().connsInbound(), s.limit().conns(Direction.INBOUND), false) : "-",
                    Format.used(s.peak().streamsInbound(), s.limit().streams(Direction.INBOUND), false),
                    Format.used(s.peak().memory(), s.limit().memory(), true),
                    holdsConns ? Format.used(s.peak().fd(), s.limit().fd(), false) : "-",
                    StateJson.exceeded(s).isEmpty() ? "" : "  ABOVE LIMIT");
        }
        out.println("(peak/limit; connection and stream scopes are gone once done: each of their reservations was"
                + " checked against its limit as it was made)");
        for (DemoReport.NodeCheck n : report.nodes()) {
            out.printf("%-6s %2d live scopes checked (inbound/outbound streams and connections, fd, memory): %s%n",
                    n.name(), n.scopes(), n.exceeded().isEmpty() ? "no peak above its limit" : "EXCEEDED " + n.exceeded());
        }
        out.println();
        out.println("== Back to zero ==");
        for (DemoReport.NodeCheck n : report.nodes()) {
            OffHeapStats b = n.buffers();
            out.printf("%-6s scopes: %s; native buffers: %d live, %d bytes live, %d reserved, %d native%s, leaked %d%n",
                    n.name(), n.nonZeroScopes().isEmpty() ? "all " + n.scopes() + " at zero" : "NOT ZERO " + n.nonZeroScopes(),
                    b.liveBuffers(), b.liveBytes(), b.reservedBytes(), b.nativeBytes(),
                    b.balanced() ? " (balanced)" : " (UNBALANCED)", b.leakedBuffers());
        }
        out.println();
        out.printf("RESULT: %s (%.1f s)%n", report.ok()
                ? "OK - the storm was refused what exceeded the limits, no limit was ever exceeded, and every scope"
                        + " and all native memory went back to zero"
                : "FAILED - " + failures(report), report.elapsedMillis() / 1000.0);
        out.flush();
    }

    private static String label(String scopeName, DemoReport report) {
        if (scopeName.startsWith("peer:")) {
            String id = scopeName.substring(5);
            for (DemoReport.NodeCheck n : report.nodes()) {
                if (n.peerId().equals(id)) {
                    return "peer:" + n.name() + " " + Format.shortPeer(id);
                }
            }
        }
        int p = scopeName.indexOf(".peer:");
        if (p > 0) {
            String id = scopeName.substring(p + 6);
            for (DemoReport.NodeCheck n : report.nodes()) {
                if (n.peerId().equals(id)) {
                    return scopeName.substring(0, p) + ".peer:" + n.name();
                }
            }
        }
        return scopeName;
    }

    private static String failures(DemoReport report) {
        List<String> f = new ArrayList<>();
        if (!report.refusedSomething()) {
            f.add("nothing was refused");
        }
        if (!report.withinLimits()) {
            f.add("a peak exceeded a limit");
        }
        if (!report.backToZero()) {
            f.add("not everything went back to zero");
        }
        if (!report.storm().consistent()) {
            f.add("the storm's counts do not add up");
        }
        return String.join(", ", f);
    }

    /** Text helpers shared with the storm report. */
    private static final class StormReportText {
        static String abbreviate(String s, int max) {
            return s.length() <= max ? s : s.substring(0, max - 3) + "...";
        }
    }
}
