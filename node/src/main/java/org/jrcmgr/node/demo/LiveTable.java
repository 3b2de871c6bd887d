package org.jrcmgr.node.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jrcmgr.Direction;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.node.Node;
import org.jrcmgr.node.storm.StormReport;

/**
 * The demo's live view of the target: system, transient, the busiest peers and protocols, each
 * with its usage against its limit. On a terminal it redraws in place (ANSI cursor movement);
 * otherwise it prints one summary line per refresh.
 */
final class LiveTable {

    /** Lines the table occupies (fewer rows are padded), reserved before the first draw. */
    private static final int LINES = 15;
    /** Lines are cut to this width so that none wraps on an 80-column terminal. */
    private static final int WIDTH = 79;
    private static final String ROW = "%-26s %8s %10s %12s %s %6s";

    private final PrintStream out;
    private final boolean ansi;
    private final Map<String, String> names;
    private boolean drawn;

    LiveTable(PrintStream out, boolean ansi, Map<String, String> names) {
        this.out = out;
        this.ansi = ansi;
        this.names = names;
    }

    void show(Node target, StormReport storm, long elapsedMillis, int wave) {
        ResourceSnapshot snapshot = target.rcmgr().snapshot();
        if (!ansi) {
            out.println(line(target, snapshot, storm, elapsedMillis));
            out.flush();
            return;
        }
        List<String> lines = table(target, snapshot, storm, elapsedMillis, wave);
        StringBuilder b = new StringBuilder();
        if (!drawn) {
            // Make room first (scrolling now, not mid-table), then remember where the table starts.
            b.append("\n".repeat(LINES)).append("\033[").append(LINES).append('A').append("\0337");
        } else {
            // Back to the table's start and clear everything below: long lines that wrapped are
            // erased too, whatever the terminal's width.
            b.append("\0338\033[J");
        }
        for (String line : lines) {
            b.append(line.length() <= WIDTH ? line : line.substring(0, WIDTH - 3) + "...").append('\n');
        }
        out.print(b);
        out.flush();
        drawn = true;
    }

    private List<String> table(Node target, ResourceSnapshot snapshot, StormReport storm, long elapsedMillis,
                               int wave) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s (%s) under storm, usage/limit   t=%5.1fs  wave %d",
                names.getOrDefault(target.peerId().toBase58(), "target"), Format.shortPeer(target.peerId().toBase58()),
                elapsedMillis / 1000.0, wave));
        lines.add(String.format(ROW, "scope", "conns in", "streams in", "memory", "            ", "fd"));
        snapshot.scope("system").ifPresent(s -> lines.add(row("system", s)));
        snapshot.scope("transient").ifPresent(s -> lines.add(row("transient", s)));
        snapshot.scopes(ScopeKind.PEER).stream()
                .sorted(Comparator.comparingLong((ScopeSnapshot s) -> s.usage().conns() + s.usage().streams()).reversed())
                .limit(3)
                .forEach(s -> lines.add(row(peerLabel(s.name()), s)));
        snapshot.scopes(ScopeKind.PROTOCOL).stream()
                .sorted(Comparator.comparingLong((ScopeSnapshot s) -> s.usage().streams()).reversed()
                        .thenComparing(ScopeSnapshot::name))
                .limit(3)
                .forEach(s -> lines.add(row(s.name(), s)));
        while (lines.size() < LINES - 4) {
            lines.add("");
        }
        lines.add(String.format("storm: connections %d tried, %d admitted, %d refused", storm.connsAttempted(),
                storm.connsAdmitted(), storm.connsRefused()));
        lines.add(String.format("       streams %d tried, %d admitted, %d refused, %d reset", storm.streamsAttempted(),
                storm.streamsAdmitted(), storm.streamsRefused(), storm.streamsReset()));
        lines.add("refused by " + names.getOrDefault(target.peerId().toBase58(), "target") + ": connections "
                + counts(target.counters().connsRefused()));
        lines.add("  streams " + counts(target.counters().streamsRefused()) + "; reset "
                + counts(target.counters().resetsSent()));
        return lines;
    }

    /** {@code {scope:peer=3, scope:system=10}} as {@code peer 3, system 10}. */
    private static String counts(Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        byReason.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ")
                .append(k.startsWith("scope:") ? k.substring(6) : k).append(' ').append(v));
        return b.toString();
    }

    private String row(String label, ScopeSnapshot s) {
        boolean holdsConns = s.kind() == ScopeKind.SYSTEM || s.kind() == ScopeKind.TRANSIENT || s.kind() == ScopeKind.PEER;
        String conns = holdsConns ? Format.used(s.usage().connsInbound(), s.limit().conns(Direction.INBOUND), false) : "-";
        String fd = holdsConns ? Format.used(s.usage().fd(), s.limit().fd(), false) : "-";
        return String.format(ROW, label, conns,
                Format.used(s.usage().streamsInbound(), s.limit().streams(Direction.INBOUND), false),
                Format.used(s.usage().memory(), s.limit().memory(), true),
                Format.bar(s.usage().memory(), s.limit().memory()), fd);
    }

    private String peerLabel(String scopeName) {
        String id = scopeName.substring("peer:".length());
        return "peer:" + names.getOrDefault(id, "?") + " " + id.substring(0, Math.min(12, id.length())) + "..";
    }

    private String line(Node target, ResourceSnapshot snapshot, StormReport storm, long elapsedMillis) {
        StringBuilder b = new StringBuilder(String.format("[%5.1fs] ", elapsedMillis / 1000.0));
        snapshot.scope("system").ifPresent(s -> b.append("system: conns in ")
                .append(Format.used(s.usage().connsInbound(), s.limit().conns(Direction.INBOUND), false))
                .append(", streams in ")
                .append(Format.used(s.usage().streamsInbound(), s.limit().streams(Direction.INBOUND), false))
                .append(", memory ").append(Format.used(s.usage().memory(), s.limit().memory(), true))
                .append(", fd ").append(Format.used(s.usage().fd(), s.limit().fd(), false)));
        b.append(String.format(" | storm: conns %d/%d admitted, streams %d/%d admitted | refused by target: %d",
                storm.connsAdmitted(), storm.connsAttempted(), storm.streamsAdmitted(), storm.streamsAttempted(),
                target.refusalsTotal()));
        return b.toString();
    }
}
