package org.jrcmgr.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;
import org.jrcmgr.Direction;
import org.jrcmgr.Resource;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.observe.ObservedScope;

/**
 * The cells of {@code libp2p_rcmgr_blocked_resources}, and the bookkeeping that turns jrcmgr's
 * refusals into go-libp2p's block events.
 *
 * <p>go traces one block event per refusing scope with the whole operation's deltas: a refused
 * connection counts one {@code connection} in its direction and, if it used a descriptor, one
 * {@code fd}, whichever of the connection, direction or descriptor limits refused it; a refused
 * transfer ({@code SetPeer}, {@code SetProtocol}, {@code SetService}) counts everything the moved
 * scope held. A {@link org.jrcmgr.impl.observe.ScopeObserver#refused refusal} names the refusing
 * scope and the limit, but not the direction when the total limit refused, nor whether a descriptor
 * was asked for when a connection limit refused. The outcome that follows on the same thread
 * ({@code connBlocked(direction, usesFd)}, {@code streamBlocked}, {@code peerBlocked}, ...) does. So
 * a connection or stream refusal is parked in a per-thread slot and counted when its outcome
 * arrives; memory refusals carry their bytes and are counted at once.
 */
final class BlockedResources {

    /** go's label: the scope name up to its first ':', then up to its first '-'. */
    private static final String[] KNOWN_SCOPES = {
        "system", "transient", "allowlistedSystem", "allowlistedTransient", "service", "protocol", "peer", "conn",
        "stream", "system.span", "transient.span", "allowlistedSystem.span", "allowlistedTransient.span",
    };

    static final int CONN_IN = 0;
    static final int CONN_OUT = 1;
    static final int STREAM_IN = 2;
    static final int STREAM_OUT = 3;
    static final int MEMORY = 4;
    static final int FD = 5;
    private static final int CELLS = 6;
    private static final String[] CELL_DIR = {"inbound", "outbound", "inbound", "outbound", "", ""};
    private static final String[] CELL_RESOURCE = {"connection", "connection", "stream", "stream", "memory", "fd"};

    private static final int FAMILY_NONE = 0;
    private static final int FAMILY_CONN = 1;
    private static final int FAMILY_STREAM = 2;

    private final Cell[][] known = new Cell[KNOWN_SCOPES.length][];
    /** Labels of scopes named in ways go's rule was not written for; looked up by a fresh substring. */
    private final ConcurrentHashMap<String, Cell[]> other = new ConcurrentHashMap<>();
    private final Consumer<Cell> publisher;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

    /** @param publisher registers a cell's gauge the first time the cell counts something */
    BlockedResources(Consumer<Cell> publisher) {
        this.publisher = publisher;
        for (int i = 0; i < KNOWN_SCOPES.length; i++) {
            known[i] = row(KNOWN_SCOPES[i]);
        }
    }

    private static Cell[] row(String scope) {
        Cell[] row = new Cell[CELLS];
        for (int c = 0; c < CELLS; c++) {
            row[c] = new Cell(CELL_DIR[c], scope, CELL_RESOURCE[c]);
        }
        return row;
    }

    // ---- events -----------------------------------------------------------------------------------

    void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long requested) {
        switch (resource) {
            case MEMORY -> add(row(refusing), MEMORY, requested);
            case STREAMS, STREAMS_INBOUND, STREAMS_OUTBOUND -> pending.get().park(FAMILY_STREAM, row(refusing),
                    requester);
            case CONNS, CONNS_INBOUND, CONNS_OUTBOUND, FD -> pending.get().park(FAMILY_CONN, row(refusing), requester);
            default -> {
                // A resource added to the API later: go has no block event for it.
            }
        }
    }

    /** {@code openConnection} was refused: one connection, and one descriptor if it asked for one. */
    void connBlocked(Direction direction, boolean usesFd) {
        Pending p = pending.get();
        Cell[] row = p.take(FAMILY_CONN, ScopeKind.CONNECTION);
        if (row != null) {
            add(row, direction.isInbound() ? CONN_IN : CONN_OUT, 1);
            if (usesFd) {
                add(row, FD, 1);
            }
        }
    }

    /** {@code openStream} was refused: one stream. */
    void streamBlocked(Direction direction) {
        Pending p = pending.get();
        Cell[] row = p.take(FAMILY_STREAM, ScopeKind.STREAM);
        if (row != null) {
            add(row, direction.isInbound() ? STREAM_IN : STREAM_OUT, 1);
        }
    }

    /**
     * A transfer of a scope of {@code movedKind} was refused: everything the moved scope holds, as
     * go's {@code ReserveForChild} traces it. The moved scope is unchanged by a refused transfer, so
     * its stat now is what was asked for (reading it allocates; refused transfers are rare).
     */
    void transferBlocked(ScopeKind movedKind) {
        Pending p = pending.get();
        int family = p.family;
        ObservedScope moved = p.requester;
        Cell[] row = p.take(family, movedKind);
        if (row == null) {
            return;
        }
        ScopeStat stat = moved.stat();
        if (family == FAMILY_CONN) {
            add(row, CONN_IN, stat.connsInbound());
            add(row, CONN_OUT, stat.connsOutbound());
            add(row, FD, stat.fd());
        } else {
            add(row, STREAM_IN, stat.streamsInbound());
            add(row, STREAM_OUT, stat.streamsOutbound());
        }
    }

    private void add(Cell[] row, int cell, long amount) {
        if (amount == 0) {
            // go only touches a series for a non-zero delta, so an untouched series never appears.
            return;
        }
        Cell c = row[cell];
        c.total.add(amount);
        if (!c.published) {
            publisher.accept(c);
        }
    }

    // ---- labels -----------------------------------------------------------------------------------

    /** The cells of the refusing scope's label, found without allocating for every name jrcmgr gives. */
    private Cell[] row(ObservedScope scope) {
        return switch (scope.kind()) {
            case SYSTEM -> known[0];
            case TRANSIENT -> known[1];
            case ALLOWLISTED_SYSTEM -> known[2];
            case ALLOWLISTED_TRANSIENT -> known[3];
            case SERVICE, SERVICE_PEER -> known[4];
            case PROTOCOL, PROTOCOL_PEER -> known[5];
            case PEER -> known[6];
            case CONNECTION -> known[7];
            case STREAM -> known[8];
            default -> rowByName(scope.name());
        };
    }

    /** go's rule applied to a name: a span's label is its owner's, or e.g. {@code system.span}. */
    private Cell[] rowByName(String name) {
        int end = scopeLabelEnd(name);
        for (int i = 0; i < KNOWN_SCOPES.length; i++) {
            String label = KNOWN_SCOPES[i];
            if (label.length() == end && name.startsWith(label)) {
                return known[i];
            }
        }
        return other.computeIfAbsent(name.substring(0, end), BlockedResources::row);
    }

    /** Where go's {@code blocked_resources} scope label of {@code name} ends. */
    static int scopeLabelEnd(String name) {
        int colon = name.indexOf(':');
        int end = colon < 0 ? name.length() : colon;
        int dash = name.indexOf('-');
        return dash >= 0 && dash < end ? dash : end;
    }

    /** go's {@code blocked_resources} scope label of a scope named {@code name}. */
    static String scopeLabel(String name) {
        return name.substring(0, scopeLabelEnd(name));
    }

    /** One series of {@code libp2p_rcmgr_blocked_resources}. */
    static final class Cell {
        /** go adds float64 amounts to a gauge; a double adder sums the same way and never overflows. */
        final DoubleAdder total = new DoubleAdder();
        final String dir;
        final String scope;
        final String resource;
        /** Whether the cell's gauge is registered; written under the metrics' lock. */
        volatile boolean published;

        Cell(String dir, String scope, String resource) {
            this.dir = dir;
            this.scope = scope;
            this.resource = resource;
        }

        double value() {
            return total.sum();
        }
    }

    /** A connection or stream refusal waiting for its outcome; one per thread, reused. */
    private static final class Pending {
        int family = FAMILY_NONE;
        Cell[] row;
        ObservedScope requester;

        void park(int newFamily, Cell[] newRow, ObservedScope newRequester) {
            family = newFamily;
            row = newRow;
            requester = newRequester;
        }

        /**
         * The parked row if the refusal belongs to this outcome (same family, asked through a scope
         * of {@code requesterKind}); clears the slot either way, so a refusal is counted at most once
         * and no scope is kept alive by it.
         */
        Cell[] take(int expectedFamily, ScopeKind requesterKind) {
            Cell[] r = family == expectedFamily && family != FAMILY_NONE && requester != null
                    && requester.kind() == requesterKind ? row : null;
            family = FAMILY_NONE;
            row = null;
            requester = null;
            return r;
        }
    }
}
