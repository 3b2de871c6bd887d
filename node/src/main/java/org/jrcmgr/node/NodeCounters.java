package org.jrcmgr.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jrcmgr.Direction;

/**
 * What a node admitted and refused since it started, counted where it happens (the manager's
 * refusal ring is bounded; these are exact totals).
 */
public final class NodeCounters {

    private final LongAdder connsAdmittedIn = new LongAdder();
    private final LongAdder connsAdmittedOut = new LongAdder();
    private final LongAdder connsEstablished = new LongAdder();
    private final LongAdder streamsAdmittedIn = new LongAdder();
    private final LongAdder streamsOpenedOut = new LongAdder();
    private final LongAdder heapControlFrames = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> connsRefused = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> streamsRefused = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> resetsSent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> resetsReceived = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> closesReceived = new ConcurrentHashMap<>();

    void connAdmitted(Direction direction) {
        (direction == Direction.INBOUND ? connsAdmittedIn : connsAdmittedOut).increment();
    }

    void connEstablished() {
        connsEstablished.increment();
    }

    /** A connection this node refused: at {@code openConnection}, at {@code setPeer}, or its own dial. */
    void connRefused(Reason reason) {
        count(connsRefused, reason);
    }

    void streamAdmitted(Direction direction) {
        (direction == Direction.INBOUND ? streamsAdmittedIn : streamsOpenedOut).increment();
    }

    /** A stream this node refused (inbound) or could not open (outbound, local refusal). */
    void streamRefused(Reason reason) {
        count(streamsRefused, reason);
    }

    void resetSent(Reason reason) {
        count(resetsSent, reason);
    }

    void resetReceived(Reason reason) {
        count(resetsReceived, reason);
    }

    void closeReceived(Reason reason) {
        count(closesReceived, reason);
    }

    /**
     * A control frame (RST, CLOSE, ...) that had to be written from the heap because its scope
     * refused even its few bytes or was gone (a refused connection has no scope at all).
     */
    void heapControlFrame() {
        heapControlFrames.increment();
    }

    /** Connections admitted by the manager, inbound. */
    public long connsAdmittedInbound() {
        return connsAdmittedIn.sum();
    }

    /** Connections admitted by the manager, outbound. */
    public long connsAdmittedOutbound() {
        return connsAdmittedOut.sum();
    }

    /** Connections whose handshake completed on both sides. */
    public long connsEstablished() {
        return connsEstablished.sum();
    }

    /** Inbound streams admitted. */
    public long streamsAdmittedInbound() {
        return streamsAdmittedIn.sum();
    }

    /** Outbound streams this node's manager admitted (whatever the remote then said). */
    public long streamsOpenedOutbound() {
        return streamsOpenedOut.sum();
    }

    /** Control frames written from the heap, outside any scope. */
    public long heapControlFrames() {
        return heapControlFrames.sum();
    }

    /** Connections refused by this node, by {@link Reason#key()} (without {@code local-}). */
    public Map<String, Long> connsRefused() {
        return snapshot(connsRefused);
    }

    /** Streams refused by this node, by {@link Reason#key()} (without {@code local-}). */
    public Map<String, Long> streamsRefused() {
        return snapshot(streamsRefused);
    }

    /** Resets this node sent, by {@link Reason#key()} (without {@code local-}). */
    public Map<String, Long> resetsSent() {
        return snapshot(resetsSent);
    }

    /** Resets this node received, by the remote's {@link Reason#key()}. */
    public Map<String, Long> resetsReceived() {
        return snapshot(resetsReceived);
    }

    /** Connection closes received with a reason, by the remote's {@link Reason#key()}. */
    public Map<String, Long> closesReceived() {
        return snapshot(closesReceived);
    }

    /** Keyed without the {@code local-} prefix: what this node counts, it decided or received itself. */
    private static void count(ConcurrentHashMap<String, LongAdder> map, Reason reason) {
        map.computeIfAbsent(reason.remote().key(), k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
