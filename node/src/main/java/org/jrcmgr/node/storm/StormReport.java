package org.jrcmgr.node.storm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jrcmgr.node.StateJson;

/**
 * What a storm saw, from the dialer's side. For connections, {@code attempted = admitted + refused
 * + failed}; for streams, {@code attempted = completed + refused + reset + failed} and
 * {@code admitted} counts those the remote accepted (completed, reset after acceptance, or failed
 * after acceptance). Refusals, resets and failures are counted by {@link org.jrcmgr.node.Reason#key()}:
 * {@code scope:transient}, {@code scope:peer}, {@code per-address}, {@code rate}, ... as the refusing
 * node sent them, {@code local-...} when the dialer's own manager refused, {@code timeout},
 * {@code io}, {@code closed}.
 *
 * <p>Thread-safe while the storm runs; merge several with {@link #merge}.
 */
public final class StormReport {

    private final Tally conns = new Tally();
    private final Tally streams = new Tally();
    private final Map<String, String> examples = new ConcurrentHashMap<>();
    private volatile long elapsedMillis;
    private volatile boolean deadlineReached;
    private volatile boolean cutByDeadline;

    /** Counts of one kind of attempt. */
    static final class Tally {
        final LongAdder attempted = new LongAdder();
        final LongAdder admitted = new LongAdder();
        final LongAdder completed = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> reset = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> failed = new ConcurrentHashMap<>();

        static void add(ConcurrentHashMap<String, LongAdder> map, String key, long n) {
            map.computeIfAbsent(key, k -> new LongAdder()).add(n);
        }

        static long sum(ConcurrentHashMap<String, LongAdder> map) {
            return map.values().stream().mapToLong(LongAdder::sum).sum();
        }

        static Map<String, Long> sorted(ConcurrentHashMap<String, LongAdder> map) {
            Map<String, Long> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }

        void mergeFrom(Tally o) {
            attempted.add(o.attempted.sum());
            admitted.add(o.admitted.sum());
            completed.add(o.completed.sum());
            o.refused.forEach((k, v) -> add(refused, k, v.sum()));
            o.reset.forEach((k, v) -> add(reset, k, v.sum()));
            o.failed.forEach((k, v) -> add(failed, k, v.sum()));
        }
    }

    // ---- recording ------------------------------------------------------------------------------

    void connAttempted() {
        conns.attempted.increment();
    }

    void connAdmitted() {
        conns.admitted.increment();
    }

    void connRefused(String key, String example) {
        Tally.add(conns.refused, key, 1);
        examples.putIfAbsent("connection " + key, example);
    }

    void connFailed(String key, String example) {
        cutByDeadline |= key.equals(org.jrcmgr.node.Reason.TIMEOUT);
        Tally.add(conns.failed, key, 1);
        examples.putIfAbsent("connection " + key, example);
    }

    void streamAttempted() {
        streams.attempted.increment();
    }

    void streamAdmitted() {
        streams.admitted.increment();
    }

    void streamCompleted() {
        streams.completed.increment();
    }

    void streamRefused(String key, String example) {
        Tally.add(streams.refused, key, 1);
        examples.putIfAbsent("stream " + key, example);
    }

    void streamReset(String key, String example) {
        Tally.add(streams.reset, key, 1);
        examples.putIfAbsent("stream " + key, example);
    }

    void streamFailed(String key, String example) {
        cutByDeadline |= key.equals(org.jrcmgr.node.Reason.TIMEOUT);
        Tally.add(streams.failed, key, 1);
        examples.putIfAbsent("stream " + key, example);
    }

    /** Records how long the storm took and whether its duration ran out (the storm does; so may a caller merging several). */
    public void finished(long elapsedMillis, boolean deadlineReached) {
        this.elapsedMillis = elapsedMillis;
        this.deadlineReached = deadlineReached || cutByDeadline;
    }

    /** Adds {@code other}'s counts to this report (for several storms run together). */
    public StormReport merge(StormReport other) {
        conns.mergeFrom(other.conns);
        streams.mergeFrom(other.streams);
        other.examples.forEach(examples::putIfAbsent);
        elapsedMillis = Math.max(elapsedMillis, other.elapsedMillis);
        deadlineReached |= other.deadlineReached;
        cutByDeadline |= other.cutByDeadline;
        return this;
    }

    // ---- reading -------------------------------------------------------------------------------

    /** Connections dialled. */
    public long connsAttempted() {
        return conns.attempted.sum();
    }

    /** Connections established (admitted by both sides). */
    public long connsAdmitted() {
        return conns.admitted.sum();
    }

    /** Connections refused by a limit, either side's. */
    public long connsRefused() {
        return Tally.sum(conns.refused);
    }

    /** Connections that failed otherwise (network, timeout, closed without a refusal). */
    public long connsFailed() {
        return Tally.sum(conns.failed);
    }

    /** Connections refused, by reason key. */
    public Map<String, Long> connsRefusedByReason() {
        return Tally.sorted(conns.refused);
    }

    /** Connections failed, by reason key. */
    public Map<String, Long> connsFailedByReason() {
        return Tally.sorted(conns.failed);
    }

    /** Streams opened (on established connections). */
    public long streamsAttempted() {
        return streams.attempted.sum();
    }

    /** Streams the remote accepted. */
    public long streamsAdmitted() {
        return streams.admitted.sum();
    }

    /** Streams whose exchange completed. */
    public long streamsCompleted() {
        return streams.completed.sum();
    }

    /** Streams refused before acceptance. */
    public long streamsRefused() {
        return Tally.sum(streams.refused);
    }

    /** Streams reset after acceptance. */
    public long streamsReset() {
        return Tally.sum(streams.reset);
    }

    /** Streams that failed otherwise. */
    public long streamsFailed() {
        return Tally.sum(streams.failed);
    }

    /** Streams refused, by reason key. */
    public Map<String, Long> streamsRefusedByReason() {
        return Tally.sorted(streams.refused);
    }

    /** Streams reset, by reason key. */
    public Map<String, Long> streamsResetByReason() {
        return Tally.sorted(streams.reset);
    }

    /** Streams failed, by reason key. */
    public Map<String, Long> streamsFailedByReason() {
        return Tally.sorted(streams.failed);
    }

    /** How long the storm took. */
    public long elapsedMillis() {
        return elapsedMillis;
    }

    /** Whether the storm's duration ran out before everything finished (some attempt timed out). */
    public boolean deadlineReached() {
        return deadlineReached;
    }

    /** Whether the counts add up: every attempt has exactly one outcome. */
    public boolean consistent() {
        return connsAttempted() == connsAdmitted() + connsRefused() + connsFailed()
                && streamsAttempted() == streamsCompleted() + streamsRefused() + streamsReset() + streamsFailed()
                && streamsAdmitted() <= streamsAttempted() - streamsRefused();
    }

    /** The report as JSON (what {@code storm --json} prints). */
    public ObjectNode toJson() {
        ObjectNode out = StateJson.mapper().createObjectNode();
        out.put("elapsedMillis", elapsedMillis);
        out.put("deadlineReached", deadlineReached);
        out.put("consistent", consistent());
        ObjectNode c = out.putObject("connections");
        c.put("attempted", connsAttempted());
        c.put("admitted", connsAdmitted());
        c.put("refused", connsRefused());
        c.put("failed", connsFailed());
        putMap(c, "refusedByReason", connsRefusedByReason());
        putMap(c, "failedByReason", connsFailedByReason());
        ObjectNode s = out.putObject("streams");
        s.put("attempted", streamsAttempted());
        s.put("admitted", streamsAdmitted());
        s.put("completed", streamsCompleted());
        s.put("refused", streamsRefused());
        s.put("reset", streamsReset());
        s.put("failed", streamsFailed());
        putMap(s, "refusedByReason", streamsRefusedByReason());
        putMap(s, "resetByReason", streamsResetByReason());
        putMap(s, "failedByReason", streamsFailedByReason());
        ObjectNode e = out.putObject("examples");
        new TreeMap<>(examples).forEach(e::put);
        return out;
    }

    private static void putMap(ObjectNode parent, String field, Map<String, Long> map) {
        ObjectNode o = parent.putObject(field);
        map.forEach(o::put);
    }

    /** The report as a table for people. */
    public String toTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-12s %10s %10s %10s %10s %10s %10s%n", "", "attempted", "admitted", "completed",
                "refused", "reset", "failed"));
        b.append(String.format("%-12s %10d %10d %10s %10d %10s %10d%n", "connections", connsAttempted(),
                connsAdmitted(), "-", connsRefused(), "-", connsFailed()));
        b.append(String.format("%-12s %10d %10d %10d %10d %10d %10d%n", "streams", streamsAttempted(),
                streamsAdmitted(), streamsCompleted(), streamsRefused(), streamsReset(), streamsFailed()));
        List<String[]> rows = new ArrayList<>();
        connsRefusedByReason().forEach((k, v) -> rows.add(row("connections refused", k, v)));
        connsFailedByReason().forEach((k, v) -> rows.add(row("connections failed", k, v)));
        streamsRefusedByReason().forEach((k, v) -> rows.add(row("streams refused", k, v)));
        streamsResetByReason().forEach((k, v) -> rows.add(row("streams reset", k, v)));
        streamsFailedByReason().forEach((k, v) -> rows.add(row("streams failed", k, v)));
        if (!rows.isEmpty()) {
            b.append("by reason:\n");
            for (String[] r : rows) {
                String kind = r[0].startsWith("connections") ? "connection " : "stream ";
                String example = examples.getOrDefault(kind + r[1], "");
                b.append(String.format("  %-20s %-26s %7s   %s%n", r[0], r[1], r[2], abbreviate(example, 110)));
            }
        }
        b.append(String.format("%d ms%s, counts %s%n", elapsedMillis,
                deadlineReached ? " (duration reached: unfinished attempts counted as timeouts)" : "",
                consistent() ? "add up" : "DO NOT ADD UP"));
        return b.toString();
    }

    private static String[] row(String what, String key, long n) {
        return new String[] {what, key, Long.toString(n)};
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
