package org.jrcmgr.impl.scope;

import org.jrcmgr.impl.observe.ScopeObserver;
import org.jrcmgr.Direction;
import org.jrcmgr.Limit;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;

/**
 * A scope of the DAG proper (not a span). It keeps the complete, flattened list of the scopes that
 * constrain it ("edges") and reserves directly in each of them; an edge receiving a child's
 * reservation changes only its own counters. Moving a scope to other parents is therefore a local
 * transfer between two edges, and a diamond counts every reservation exactly once at the top.
 */
abstract class DagScope extends Scope {

    private static final DagScope[] NO_EDGES = new DagScope[0];

    /** The scopes that constrain this one, in go-libp2p's order; replaced under lock. */
    private volatile DagScope[] edges;
    /**
     * The path of the current edges, computed when first asked for (most scopes never are: only
     * refusals, traces and snapshots name them) and kept until the edges change.
     */
    private volatile PathOfEdges path;
    /** Where the scope shows in paths when that is not its first edge (per-peer sub-scopes have none). */
    private final DagScope pathParent;

    DagScope(ScopeContext context, String name, ScopeKind kind, Limit limit, DagScope... edges) {
        this(context, name, kind, limit, edges, null);
    }

    DagScope(ScopeContext context, String name, ScopeKind kind, Limit limit, DagScope[] edges,
             DagScope pathParent) {
        super(context, name, kind, limit);
        this.pathParent = pathParent;
        for (DagScope edge : edges) {
            edge.incRef();
        }
        setEdges(edges);
        // Observers only read what this class has set: the name, path, kind and limit.
        observeCreated(this);
    }

    final DagScope[] edges() {
        return edges;
    }

    /**
     * Replaces the edge list; the caller holds the lock and has moved the references and the
     * resources already.
     */
    final void setEdges(DagScope... newEdges) {
        edges = newEdges.length == 0 ? NO_EDGES : newEdges;
    }

    /** The path goes up through the first edge, the one that identifies where the scope belongs. */
    private String computePath(DagScope[] e) {
        if (pathParent != null) {
            return pathParent.path() + " > " + name();
        }
        return e.length == 0 ? name() : e[0].path() + " > " + name();
    }

    @Override
    public final String path() {
        DagScope[] e = edges;
        PathOfEdges known = path;
        if (known != null && known.edges == e) {
            return known.path;
        }
        // Racing callers compute the same string; one computed for edges since replaced is never
        // returned for the new ones, since it is kept with the edges it was computed from.
        String computed = computePath(e);
        path = new PathOfEdges(e, computed);
        return computed;
    }

    /** A path and the edge list it was computed from. */
    private record PathOfEdges(DagScope[] edges, String path) {
    }

    // ---- reservations carried up the edges ---------------------------------------------------

    @Override
    final ResourceException reserveMemoryAbove(long size, ReservationPriority priority, Scope requester,
                                               boolean quiet) {
        DagScope[] e = edges;
        for (int i = 0; i < e.length; i++) {
            ResourceException refusal = e[i].reserveMemoryForChild(size, priority, requester, quiet);
            if (refusal != null) {
                for (int j = 0; j < i; j++) {
                    e[j].resources.releaseMemory(size);
                }
                context.refusals().memory(this, e[i], refusal);
                return refusal;
            }
        }
        for (DagScope edge : e) {
            edge.resources.notePeakMemory();
            edge.observeReserved(size, priority);
        }
        return null;
    }

    @Override
    final ResourceException refuseAboveEarly(long size, ReservationPriority priority, Scope requester,
                                             boolean quiet) {
        for (DagScope edge : edges) {
            if (edge.isDoneInternal()) {
                return null;
            }
            long held = edge.resources.memory();
            Limit limit = edge.limit();
            if (!Resources.memoryFits(held, size, priority, limit)) {
                if (edge.isShadow()) {
                    return null;
                }
                ResourceException refusal = Resources.refuseMemory(held, size, priority, limit, edge, requester,
                        quiet);
                context.refusals().memory(this, edge, refusal);
                return refusal;
            }
        }
        return null;
    }

    @Override
    final void releaseMemoryAbove(long size) {
        for (DagScope edge : edges) {
            edge.resources.releaseMemory(size);
            edge.observeReleased(size);
        }
    }

    /** Adds one stream here and in every edge; all or nothing. */
    final ResourceException addStream(Direction direction) {
        long in = direction.isInbound() ? 1 : 0;
        long out = 1 - in;
        synchronized (lock) {
            if (isDoneInternal()) {
                return new ResourceScopeClosedException(name());
            }
            ResourceException refusal = resources.addStreams(in, out, limit(), this, this, false);
            if (refusal != null) {
                context.refusals().stream(this, null, refusal);
                return refusal;
            }
            DagScope[] e = edges;
            for (int i = 0; i < e.length; i++) {
                refusal = e[i].addStreamsForChild(in, out, this);
                if (refusal != null) {
                    for (int j = 0; j < i; j++) {
                        e[j].resources.removeStreams(in, out);
                    }
                    resources.removeStreams(in, out);
                    context.refusals().stream(this, e[i], refusal);
                    return refusal;
                }
            }
            notePeaks(e);
            observeCounts(this, e, in, out, 0, 0, 0);
            return null;
        }
    }

    /** Adds one connection (and its descriptor, if it holds one) here and in every edge; all or nothing. */
    final ResourceException addConn(Direction direction, boolean usesFd) {
        long in = direction.isInbound() ? 1 : 0;
        long out = 1 - in;
        long fds = usesFd ? 1 : 0;
        synchronized (lock) {
            if (isDoneInternal()) {
                return new ResourceScopeClosedException(name());
            }
            ResourceException refusal = resources.addConns(in, out, fds, limit(), this, this, false);
            if (refusal != null) {
                context.refusals().conn(this, null, refusal);
                return refusal;
            }
            DagScope[] e = edges;
            for (int i = 0; i < e.length; i++) {
                refusal = e[i].addConnsForChild(in, out, fds, this);
                if (refusal != null) {
                    for (int j = 0; j < i; j++) {
                        e[j].resources.removeConns(in, out, fds);
                    }
                    resources.removeConns(in, out, fds);
                    context.refusals().conn(this, e[i], refusal);
                    return refusal;
                }
            }
            notePeaks(e);
            observeCounts(this, e, 0, 0, in, out, fds);
            return null;
        }
    }

    // ---- this scope as an edge of a child ------------------------------------------------------

    final ResourceException reserveMemoryForChild(long size, ReservationPriority priority, Scope requester,
                                                  boolean quiet) {
        if (isDoneInternal()) {
            return quiet ? Resources.QUIET_REFUSAL : new ResourceScopeClosedException(name());
        }
        return resources.addMemory(size, priority, limit(), this, requester, quiet);
    }

    final ResourceException addStreamsForChild(long in, long out, Scope requester) {
        if (isDoneInternal()) {
            return new ResourceScopeClosedException(name());
        }
        return resources.addStreams(in, out, limit(), this, requester, false);
    }

    final ResourceException addConnsForChild(long in, long out, long fds, Scope requester) {
        if (isDoneInternal()) {
            return new ResourceScopeClosedException(name());
        }
        return resources.addConns(in, out, fds, limit(), this, requester, false);
    }

    /** Takes over everything a child holds, all or nothing within this scope (go's ReserveForChild). */
    final ResourceException reserveForChild(ScopeStat stat, Scope requester) {
        if (isDoneInternal()) {
            return new ResourceScopeClosedException(name());
        }
        ResourceException refusal = resources.addAll(stat, limit(), this, requester);
        if (refusal == null) {
            resources.notePeaks();
            observeReserved(stat.memory(), ReservationPriority.ALWAYS);
            observeCounts(stat.streamsInbound(), stat.streamsOutbound(), stat.connsInbound(), stat.connsOutbound(),
                    stat.fd());
        }
        return refusal;
    }

    private void notePeaks(DagScope[] e) {
        resources.notePeaks();
        for (DagScope edge : e) {
            edge.resources.notePeaks();
        }
    }

    /** Reports added (positive) or removed (negative) counts in this scope. */
    private void observeCounts(long streamsIn, long streamsOut, long connsIn, long connsOut, long fds) {
        ScopeObserver observer = context.observer();
        if (observer == ScopeObserver.NONE) {
            return;
        }
        // Read the counters directly: an observed hot path must not allocate a ScopeStat per event.
        long streams = resources.streamsPacked();
        long conns = resources.connsPacked();
        if (streamsIn > 0 || streamsOut > 0) {
            observer.streamsAdded(this, streamsIn, streamsOut, Resources.inbound(streams), Resources.outbound(streams));
        } else if (streamsIn < 0 || streamsOut < 0) {
            observer.streamsRemoved(this, -streamsIn, -streamsOut, Resources.inbound(streams),
                    Resources.outbound(streams));
        }
        if (connsIn > 0 || connsOut > 0 || fds > 0) {
            observer.connsAdded(this, connsIn, connsOut, fds, Resources.inbound(conns), Resources.outbound(conns),
                    resources.fd());
        } else if (connsIn < 0 || connsOut < 0 || fds < 0) {
            observer.connsRemoved(this, -connsIn, -connsOut, -fds, Resources.inbound(conns),
                    Resources.outbound(conns), resources.fd());
        }
    }

    private static void observeCounts(DagScope scope, DagScope[] e, long streamsIn, long streamsOut, long connsIn,
                                      long connsOut, long fds) {
        scope.observeCounts(streamsIn, streamsOut, connsIn, connsOut, fds);
        for (DagScope edge : e) {
            edge.observeCounts(streamsIn, streamsOut, connsIn, connsOut, fds);
        }
    }

    /** Gives back everything a child held here. */
    final void releaseForChild(ScopeStat stat) {
        resources.removeAll(stat);
        observeReleased(stat.memory());
        observeCounts(-stat.streamsInbound(), -stat.streamsOutbound(), -stat.connsInbound(), -stat.connsOutbound(),
                -stat.fd());
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    /**
     * Releases everything this scope holds from its edges and drops its references to them. A second
     * call does nothing.
     */
    final void closeScope() {
        TrackedReservation reclaimed;
        SpanScope spans;
        String closedPath;
        synchronized (lock) {
            if (!markDone()) {
                return;
            }
            // Named in leak reports only; computed while the edges still hold their references.
            closedPath = holdsReclaimables() ? path() : null;
            ScopeStat stat = resources.stat();
            DagScope[] e = edges;
            for (DagScope edge : e) {
                edge.releaseForChild(stat);
                edge.decRef();
            }
            resources.clear();
            reclaimed = forgetMemory();
            spans = detachSpans();
            setEdges();
            onClosed();
            observeDestroyed();
        }
        afterClosed();
        TrackedReservation.reclaimAll(reclaimed, closedPath);
        SpanScope.reclaimWithOwner(spans, closedPath);
    }

    /** Extra work when the scope is done, under its lock. */
    void onClosed() {
    }

    /** Extra work once the scope is done, outside its lock. */
    void afterClosed() {
    }
}
