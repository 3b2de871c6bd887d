package org.jrcmgr.impl.scope;

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
    /** The cached path; recomputed when the edges change. */
    private volatile String path;
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
        path = computePath();
    }

    /** The path goes up through the first edge, the one that identifies where the scope belongs. */
    private String computePath() {
        if (pathParent != null) {
            return pathParent.path() + " > " + name();
        }
        DagScope[] e = edges;
        return e.length == 0 ? name() : e[0].path() + " > " + name();
    }

    @Override
    final String path() {
        return path;
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
        }
        return null;
    }

    @Override
    final void releaseMemoryAbove(long size) {
        for (DagScope edge : edges) {
            edge.resources.releaseMemory(size);
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
        }
        return refusal;
    }

    private void notePeaks(DagScope[] e) {
        resources.notePeaks();
        for (DagScope edge : e) {
            edge.resources.notePeaks();
        }
    }

    /** Gives back everything a child held here. */
    final void releaseForChild(ScopeStat stat) {
        resources.removeAll(stat);
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    /**
     * Releases everything this scope holds from its edges and drops its references to them. A second
     * call does nothing.
     */
    final void closeScope() {
        TrackedReservation reclaimed;
        String closedPath;
        synchronized (lock) {
            if (!markDone()) {
                return;
            }
            closedPath = path;
            ScopeStat stat = resources.stat();
            DagScope[] e = edges;
            for (DagScope edge : e) {
                edge.releaseForChild(stat);
                edge.decRef();
            }
            resources.clear();
            reclaimed = forgetMemory();
            setEdges();
            onClosed();
        }
        afterClosed();
        TrackedReservation.reclaimAll(reclaimed, closedPath);
    }

    /** Extra work when the scope is done, under its lock. */
    void onClosed() {
    }

    /** Extra work once the scope is done, outside its lock. */
    void afterClosed() {
    }
}
