package org.jrcmgr.example.limits;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.Refusal;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScopeLimiter;
import org.jrcmgr.impl.LintFinding;
import org.jrcmgr.impl.LintMode;
import org.jrcmgr.impl.PolicyLint;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.limit.LimitConfigJson;
import org.jrcmgr.impl.limit.SystemBudget;

/**
 * Limits as an application configures them in code: go-libp2p's defaults scaled to four budgets
 * (the table of the sizing guide), a container's budget in a sentence, a go-libp2p limit file, the
 * policy lint, and shadow mode.
 *
 * <p>The argument is the path of the go-libp2p limit file to load.
 */
public final class Main {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private Main() {
    }

    /**
     * Runs the example.
     *
     * @param args the limit file
     * @throws IOException if the limit file cannot be read
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        out.println("== go-libp2p's defaults, scaled");
        // A container limited to 2 GiB (cgroup v2), with Docker's default open-files limit.
        SystemBudget container = new SystemBudget(256 * MIB, 2 * GIB, SystemBudget.Source.CGROUP_V2,
                "/sys/fs/cgroup/memory.max", 524_288, 1_048_576, SystemBudget.Source.PROC_SELF_LIMITS);
        Map<String, ConcreteLimitConfig> columns = new LinkedHashMap<>();
        columns.put("base (<= 128 MiB)", DefaultLimits.defaults().scale(0, 0));
        columns.put("256 MiB, 524288 FD", DefaultLimits.defaults().scale(container));
        // tag::scale[]
        ConcreteLimitConfig oneGiB = DefaultLimits.defaults().scale(1L << 30, 4096); // 1 GiB, 4096 FDs
        // end::scale[]
        columns.put("1 GiB, 4096 FD", oneGiB);
        columns.put("8 GiB, 16384 FD", DefaultLimits.defaults().scale(8L << 30, 16384));
        table(columns, out);

        out.println();
        out.println("== the budget of a 2 GiB container");
        out.println(container.describe());

        out.println();
        out.println("== a go-libp2p limit file");
        Path file = Path.of(args[0]);
        // tag::limit-file[]
        // What the file leaves out comes from the defaults it is built on: here scaled to 1 GiB.
        ConcreteLimitConfig limits = LimitConfigJson.load(file, DefaultLimits.defaults().scale(1L << 30, 4096));
        // end::limit-file[]
        out.println("system:   " + limits.system());
        out.println("peer:     " + limits.peerDefault());
        out.println("ping:     " + limits.protocolLimit(ProtocolId.of("/ipfs/ping/1.0.0")));
        out.println("written back for go-libp2p: " + LimitConfigJson.write(limits.toPartial()).length() + " characters");

        out.println();
        out.println("== the policy lint");
        lint(oneGiB, out);

        out.println();
        out.println("== shadow mode");
        shadowMode(out);
    }

    /** A limit file with two mistakes, as the lint sees them, and a build that refuses it. */
    static void lint(ConcreteLimitConfig oneGiB, PrintStream out) {
        // tag::lint[]
        // In go-libp2p's format an explicit 0 is not "default" but "block all"; and a peer may
        // hold 4 GiB of a system that has 1152 MiB.
        ConcreteLimitConfig risky = LimitConfigJson.read("""
                {"Stream": {"Memory": "0"}, "PeerDefault": {"Memory": "4294967296"}}
                """).build(oneGiB);
        for (LintFinding finding : PolicyLint.check(risky)) {
            out.println(finding.severity() + " " + finding.code() + " " + finding.scopes() + " " + finding.resource()
                    + ": " + finding.value() + " vs " + finding.bound());
        }
        try (ResourceManager rcmgr = ResourceManagerBuilder.create().limits(risky).lintMode(LintMode.FAIL).build()) {
            out.println("built " + rcmgr.snapshot().scopes().size() + " scopes");
        } catch (IllegalStateException refused) {
            out.println(refused.getMessage());
        }
        // end::lint[]
    }

    /** Three connections where the transient scope has room for two, in shadow mode. */
    static void shadowMode(PrintStream out) {
        // tag::shadow-mode[]
        ConcreteLimitConfig tight = DefaultLimits.defaults().scale(1L << 30, 4096).toBuilder()
                .transientLimit(BaseLimit.builder().conns(2, 2, 2).fd(2).streams(8, 8, 8).memory(1 << 20).build())
                .build();
        try (ResourceManager rcmgr = ResourceManagerBuilder.create().limits(tight).shadowMode(true).build()) {
            List<ConnManagementScope> conns = new ArrayList<>();
            for (int i = 1; i <= 3; i++) { // the third is over the limit: admitted, and recorded
                conns.add(rcmgr.openConnection(Direction.INBOUND, true, Multiaddr.parse("/ip4/192.0.2." + i + "/tcp/4001")));
            }
            out.println("admitted " + conns.size() + " connections");
            for (Refusal r : rcmgr.recentRefusals()) {
                out.println((r.shadow() ? "would have refused " : "refused ") + r.resource() + " in " + r.path()
                        + " (refused by " + r.refusingScope() + ": " + r.current() + " held + " + r.requested()
                        + " requested > limit " + r.limit() + ")");
            }
            conns.forEach(ConnManagementScope::done);
        }
        // end::shadow-mode[]
        try (ResourceManager rcmgr = ResourceManagerBuilder.create().limits(tight).build()) {
            // tag::shadow-scope[]
            // One scope only, while the manager runs: any scope a view hands out is a ResourceScopeLimiter.
            rcmgr.viewTransient(scope -> {
                if (scope instanceof ResourceScopeLimiter limiter) {
                    limiter.setShadow(true);
                }
                return null;
            });
            // end::shadow-scope[]
            boolean shadow = rcmgr.viewTransient(scope -> ((ResourceScopeLimiter) scope).isShadow());
            out.println("transient scope in shadow mode: " + shadow);
        }
    }

    /** One line per scope and resource, one column per configuration; rows that block everything everywhere are left out. */
    static void table(Map<String, ConcreteLimitConfig> columns, PrintStream out) {
        Map<String, Function<ConcreteLimitConfig, BaseLimit>> scopes = new LinkedHashMap<>();
        scopes.put("system", ConcreteLimitConfig::system);
        scopes.put("transient", ConcreteLimitConfig::transientLimit);
        scopes.put("service default", ConcreteLimitConfig::serviceDefault);
        scopes.put("service-peer default", ConcreteLimitConfig::servicePeerDefault);
        scopes.put("protocol default", ConcreteLimitConfig::protocolDefault);
        scopes.put("protocol-peer default", ConcreteLimitConfig::protocolPeerDefault);
        scopes.put("peer default", ConcreteLimitConfig::peerDefault);
        scopes.put("conn", ConcreteLimitConfig::conn);
        scopes.put("stream", ConcreteLimitConfig::stream);
        Map<String, Function<BaseLimit, String>> resources = new LinkedHashMap<>();
        resources.put("streams in/out/all", l -> l.streamsInbound() + "/" + l.streamsOutbound() + "/" + l.streams());
        resources.put("conns in/out/all", l -> l.connsInbound() + "/" + l.connsOutbound() + "/" + l.conns());
        resources.put("fd", l -> l.fd().toString());
        resources.put("memory", l -> memory(l.memory()));

        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("scope", "limit"));
        header.addAll(columns.keySet());
        rows.add(header.toArray(String[]::new));
        scopes.forEach((scope, limitOf) -> resources.forEach((resource, show) -> {
            List<String> row = new ArrayList<>(List.of(scope, resource));
            boolean blocked = true;
            for (ConcreteLimitConfig config : columns.values()) {
                String value = show.apply(limitOf.apply(config));
                blocked &= value.matches("blockAll(/blockAll)*");
                row.add(value);
            }
            if (!blocked) {
                rows.add(row.toArray(String[]::new));
            }
        }));
        int[] widths = new int[header.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                line.append(i == 0 ? "" : "  ").append(String.format(format, row[i]));
            }
            out.println(line);
        }
    }

    /** Whole MiB where exact, else MiB and bytes: go-libp2p's 4-bytes-per-GiB protocol-peer increase shows. */
    static String memory(LimitValue value) {
        if (!(value instanceof LimitValue.Finite finite)) {
            return value.toString();
        }
        long bytes = finite.value();
        long mib = bytes / MIB;
        long rest = bytes % MIB;
        return rest == 0 ? mib + " MiB" : mib + " MiB + " + rest + " B";
    }
}
