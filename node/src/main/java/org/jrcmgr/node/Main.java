package org.jrcmgr.node;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.limit.LimitConfigJson;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.net.RateLimit;
import org.jrcmgr.impl.net.SubnetRateLimit;
import org.jrcmgr.node.demo.Demo;
import org.jrcmgr.node.demo.DemoReport;
import org.jrcmgr.node.protocol.Exchanges;
import org.jrcmgr.node.storm.Storm;
import org.jrcmgr.node.storm.StormConfig;
import org.jrcmgr.node.storm.StormReport;

/**
 * The command line: {@code run} a node, {@code storm} nodes, or run the {@code demo}. See
 * {@link #USAGE}.
 *
 * <p>Launch with {@code java -jar jrcmgr-node.jar ...}: the jar's manifest carries chronicle-bytes'
 * {@code Add-Exports} and {@code Add-Opens}. On JDK 24 and later also pass
 * {@code --sun-misc-unsafe-memory-access=allow} to {@code java} (there is no manifest form of it);
 * without it the JDK prints a deprecation warning and everything still works.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar jrcmgr-node.jar <command> [options]

            commands:
              run     run a node until it is stopped (SIGINT/SIGTERM)
              storm   dial nodes with many connections and streams at once, then report
              demo    three nodes on loopback, a storm, a live table and a report (about 20 s)
              help    this text

            run options:
              --listen HOST:PORT        where to listen (default 127.0.0.1:4001; 0.0.0.0:4001 in a container)
              --name NAME               a label for logs (default node)
              --limits FILE             go-libp2p limit file (JSON), built against the autoscaled defaults;
                                        without it, go-libp2p's defaults scaled to this machine
              --allow MULTIADDR         allowlist entry, e.g. /ip4/10.0.0.0/ipcidr/8 (repeatable, or comma-separated)
              --conns-per-ip N          concurrent connections per IPv4 address (and IPv6 /56); default 8
              --conn-rate RPS:BURST     connection rate limit per IPv4 address (and IPv6 /56), or 'unlimited';
                                        default go-libp2p's 0.2:16
              --limit-loopback          apply the per-address and rate limits to loopback too (exempt by default)
              --control-host HOST       control endpoint bind address (default 127.0.0.1; 0.0.0.0 in a container)
              --control-port PORT       control endpoint port (default 0: any free port; -1: none)
              --io-threads N            Netty event-loop threads (default 2)
              --slow-max DURATION       longest /slow/1.0.0 hold (default 30s)
              --trace FILE              write go-libp2p's resource-manager trace (gzip JSON lines)
              --log-level LEVEL         error, warn, info (default), debug

            storm options:
              --target HOST:PORT        a node to storm (repeatable, or comma-separated); required
              --conns N                 connections, all dialled at once (default 10, at most 10000)
              --streams M               streams per established connection, all at once (default 4)
              --protocol ID             /echo/1.0.0 (default), /bulk/1.0.0, /slow/1.0.0; several in turn
              --duration DURATION       bound: unfinished attempts then count as timeouts (default 10s)
              --hold DURATION           keep connections open at least this long after the start (default 0)
              --payload SIZE            bytes per echo (default 1k)
              --bulk-bytes SIZE         bytes per bulk transfer (default 1m)
              --bulk-priority N         priority (0-255) the receiver reserves bulk chunks at (default 152)
              --slow-hold DURATION      how long each slow stream asks to be held (default 2s)
              --identities K            storm as K peers (K in-process nodes, each its own peer id; default 1):
                                        the target's per-peer limits (8 connections by default) see K peers
              --limits FILE             the storming nodes' own limits (default: unlimited)
              --json                    print the report as JSON only
              --log-level LEVEL         (default warn)

            demo options:
              --duration DURATION       how long the storm goes on (default 15s)
              --plain                   print status lines instead of redrawing a table
              --log-level LEVEL         (default warn)

            Durations: 500ms, 10s, 2m. Sizes: 4096, 64k, 1m.
            """;

    private static final Set<String> RUN_VALUES = Set.of("listen", "name", "limits", "allow", "conns-per-ip",
            "conn-rate", "control-host", "control-port", "io-threads", "slow-max", "trace", "log-level");
    private static final Set<String> RUN_FLAGS = Set.of("limit-loopback");
    private static final Set<String> STORM_VALUES = Set.of("target", "conns", "streams", "protocol", "duration",
            "hold", "payload", "bulk-bytes", "bulk-priority", "slow-hold", "limits", "name", "log-level", "identities",
            "control-host", "control-port");
    private static final Set<String> STORM_FLAGS = Set.of("json");
    private static final Set<String> DEMO_VALUES = Set.of("duration", "log-level", "refresh");
    private static final Set<String> DEMO_FLAGS = Set.of("plain");

    /** The most peers one storm process plays. */
    private static final int MAX_IDENTITIES = 64;

    private Main() {
    }

    /** Runs a command and exits with its status: 0 success, 1 failure, 2 bad usage. */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        System.exit(status);
    }

    /** Runs a command; returns the exit status. {@code run} returns only once the node is stopped. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return switch (args[0]) {
                case "run" -> runNode(Options.parse(args, 1, RUN_VALUES, RUN_FLAGS), out);
                case "storm" -> storm(Options.parse(args, 1, STORM_VALUES, STORM_FLAGS), out);
                case "demo" -> demo(Options.parse(args, 1, DEMO_VALUES, DEMO_FLAGS), out);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            err.println("jrcmgr-node: " + e.getMessage());
            err.println("run 'java -jar jrcmgr-node.jar help' for usage");
            return 2;
        }
    }

    // ---- run ----------------------------------------------------------------------------------------

    private static int runNode(Options o, PrintStream out) throws InterruptedException {
        logLevel(o, "info");
        NodeConfig config = nodeConfig(o);
        Node node = Node.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "jrcmgr-node-shutdown"));
        InetSocketAddress control = node.controlAddress();
        // One line on stdout that scripts and containers can wait for.
        out.printf("jrcmgr-node %s ready: peer %s listening on %s%s%n", config.name(), node.peerId(),
                node.listenMultiaddr(), control == null ? "" : " control http://" + Node.hostPort(control));
        out.flush();
        stopped.await();
        return 0;
    }

    static NodeConfig nodeConfig(Options o) {
        InetSocketAddress listen = hostPort(o.get("listen", "127.0.0.1:4001"), "listen");
        ConnLimiterConfig connLimits = ConnLimiterConfig.defaults();
        ConnRateLimiterConfig rateLimits = ConnRateLimiterConfig.defaults();
        if (o.has("conns-per-ip")) {
            LimitValue n = LimitValue.of(o.integer("conns-per-ip", 8));
            connLimits = connLimits.withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, n)))
                    .withSubnetLimitsV6(List.of(new ConnLimitPerSubnet(56, n)));
        }
        if (o.has("conn-rate")) {
            String v = o.get("conn-rate", "");
            if (v.equalsIgnoreCase("unlimited")) {
                rateLimits = ConnRateLimiterConfig.unlimited();
            } else {
                String[] parts = v.split(":");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("--conn-rate must be RPS:BURST or unlimited, got '" + v + "'");
                }
                RateLimit limit;
                try {
                    limit = RateLimit.of(Double.parseDouble(parts[0]), Integer.parseInt(parts[1]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--conn-rate must be RPS:BURST or unlimited, got '" + v + "'");
                }
                rateLimits = rateLimits.withSubnetLimitsV4(List.of(new SubnetRateLimit(32, limit)))
                        .withSubnetLimitsV6(List.of(new SubnetRateLimit(56, limit)));
            }
        }
        if (o.has("limit-loopback")) {
            connLimits = connLimits.withNetworkPrefixLimitsV4(List.of()).withNetworkPrefixLimitsV6(List.of());
            rateLimits = rateLimits.withNetworkPrefixLimits(List.of());
        }
        List<Multiaddr> allow = new ArrayList<>();
        for (String a : o.list("allow")) {
            try {
                allow.add(Multiaddr.parse(a));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--allow " + a + ": " + e.getMessage());
            }
        }
        return NodeConfig.builder()
                .name(o.get("name", "node"))
                .listen(listen.getHostString(), listen.getPort())
                .limits(limits(o, null))
                .allowlist(allow)
                .connLimits(connLimits)
                .connRateLimits(rateLimits)
                .control(o.get("control-host", "127.0.0.1"), o.integer("control-port", 0))
                .ioThreads(o.integer("io-threads", 2))
                .slowMaxHold(o.duration("slow-max", Duration.ofSeconds(30)))
                .traceFile(o.has("trace") ? Path.of(o.get("trace", "")) : null)
                .build();
    }

    /** The limit file built against go-libp2p's autoscaled defaults, or {@code fallback} without one. */
    private static ConcreteLimitConfig limits(Options o, ConcreteLimitConfig fallback) {
        if (!o.has("limits")) {
            return fallback;
        }
        Path file = Path.of(o.get("limits", ""));
        try {
            return LimitConfigJson.load(file, DefaultLimits.defaults().autoScale());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --limits " + file + ": " + e.getMessage());
        }
    }

    // ---- storm --------------------------------------------------------------------------------------

    private static int storm(Options o, PrintStream out) throws InterruptedException {
        logLevel(o, "warn");
        List<InetSocketAddress> targets = new ArrayList<>();
        for (String t : o.list("target")) {
            targets.add(hostPort(t, "target"));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("storm needs --target HOST:PORT");
        }
        List<ProtocolId> protocols = new ArrayList<>();
        for (String p : o.list("protocol")) {
            protocols.add(ProtocolId.of(p));
        }
        if (protocols.isEmpty()) {
            protocols.add(ProtocolId.of("/echo/1.0.0"));
        }
        Exchanges.Settings settings = new Exchanges.Settings(
                (int) Math.min(Integer.MAX_VALUE, o.bytes("payload", 1024)),
                o.bytes("bulk-bytes", 1L << 20),
                ReservationPriority.of(o.integer("bulk-priority", ReservationPriority.MEDIUM.value())),
                o.duration("slow-hold", Duration.ofSeconds(2)));
        StormConfig config = new StormConfig(targets, o.integer("conns", 10), o.integer("streams", 4), protocols,
                o.duration("duration", Duration.ofSeconds(10)), o.duration("hold", Duration.ZERO), settings);
        // The storming node is the load, not the subject: unlimited unless told otherwise, and no
        // per-address or rate limit on its own dials (go-libp2p applies them to outbound too).
        NodeConfig nodeConfig = NodeConfig.builder()
                .name(o.get("name", "storm"))
                .listen("127.0.0.1", 0)
                .limits(limits(o, ConcreteLimitConfig.infinite()))
                .connLimits(ConnLimiterConfig.defaults().withSubnetLimitsV4(List.of()).withSubnetLimitsV6(List.of()))
                .connRateLimits(ConnRateLimiterConfig.unlimited())
                .control(o.get("control-host", "127.0.0.1"), o.integer("control-port", -1))
                .ioThreads(2)
                .refusalSummary(null)
                .build();
        int identities = o.integer("identities", 1);
        if (identities < 1 || identities > MAX_IDENTITIES) {
            throw new IllegalArgumentException("--identities must be within 1.." + MAX_IDENTITIES + ", got " + identities);
        }
        StormReport report;
        List<Node> dialers = new ArrayList<>();
        try {
            for (int i = 0; i < identities; i++) {
                dialers.add(Node.start(identities == 1 ? nodeConfig
                        : nodeConfig.toBuilder().name(nodeConfig.name() + "-" + i).ioThreads(1).build()));
            }
            report = Storm.run(dialers, config, new StormReport());
        } finally {
            for (Node n : dialers) {
                n.close();
            }
        }
        if (o.has("json")) {
            out.println(report.toJson().toPrettyString());
        } else {
            out.printf("storm: %d connection(s) x %d stream(s) from %d peer(s) to %s, protocols %s%n", config.conns(),
                    config.streams(), identities, o.list("target"), protocols);
            out.print(report.toTable());
        }
        out.flush();
        return 0;
    }

    // ---- demo ---------------------------------------------------------------------------------------

    private static int demo(Options o, PrintStream out) throws InterruptedException {
        logLevel(o, "warn");
        boolean ansi = !o.has("plain") && System.console() != null;
        DemoReport report = Demo.run(new Demo.Config(o.duration("duration", Duration.ofSeconds(15)), out, ansi,
                o.duration("refresh", ansi ? Duration.ofMillis(250) : Duration.ofSeconds(2))));
        return report.ok() ? 0 : 1;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /**
     * Sets slf4j-simple's level before the first logger exists (a {@code -D} on the command line
     * wins); chronicle's and Netty's start-up chatter stays at warn.
     */
    private static void logLevel(Options o, String fallback) {
        String level = o.get("log-level", fallback);
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** {@code host:port}, {@code [v6]:port}, or {@code :port} (all interfaces). */
    static InetSocketAddress hostPort(String text, String option) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--" + option + " must be HOST:PORT, got '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be HOST:PORT, got '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--" + option + ": port out of range in '" + text + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
