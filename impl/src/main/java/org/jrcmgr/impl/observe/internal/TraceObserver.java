package org.jrcmgr.impl.observe.internal;

import org.jrcmgr.LimitValue;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;
import org.jrcmgr.impl.observe.TraceEvent.Type;

/**
 * Turns the DAG's events into go-libp2p's trace events (reference 6.1), with go's signs and
 * fields; where they go (a file, a reporter) is up to the subclass. The mapping passes primitives
 * and references the DAG already holds, so a subclass that stores them allocates nothing.
 */
public abstract class TraceObserver implements ScopeObserver {

    /**
     * Records one event. {@code scope} is null only for {@code start}; {@code limit} is the
     * scope's {@code Limit} for {@code create_scope}, the {@link Limiter} for {@code start}.
     */
    protected abstract void record(Type type, ObservedScope scope, Object limit, int priority, long delta,
                                   long deltaIn, long deltaOut, long memory, long streamsIn, long streamsOut,
                                   long connsIn, long connsOut, long fd);

    /** Records go's {@code start} event; the builder calls it before the manager creates its first scope. */
    public final void start(Limiter limiter) {
        record(Type.START, null, limiter, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public final void scopeCreated(ObservedScope scope) {
        record(Type.CREATE_SCOPE, scope, scope.limit(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public final void scopeDestroyed(ObservedScope scope) {
        record(Type.DESTROY_SCOPE, scope, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public final void memoryReserved(ObservedScope scope, long size, ReservationPriority priority, long usage) {
        record(Type.RESERVE_MEMORY, scope, null, priority.value(), size, 0, 0, usage, 0, 0, 0, 0, 0);
    }

    @Override
    public final void memoryReleased(ObservedScope scope, long size, long usage) {
        record(Type.RELEASE_MEMORY, scope, null, 0, -size, 0, 0, usage, 0, 0, 0, 0, 0);
    }

    @Override
    public final void streamsAdded(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        record(Type.ADD_STREAM, scope, null, 0, 0, deltaIn, deltaOut, 0, in, out, 0, 0, 0);
    }

    @Override
    public final void streamsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        record(Type.REMOVE_STREAM, scope, null, 0, 0, -deltaIn, -deltaOut, 0, in, out, 0, 0, 0);
    }

    @Override
    public final void connsAdded(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                                 long fd) {
        record(Type.ADD_CONN, scope, null, 0, deltaFd, deltaIn, deltaOut, 0, 0, 0, in, out, fd);
    }

    @Override
    public final void connsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in,
                                   long out, long fd) {
        record(Type.REMOVE_CONN, scope, null, 0, -deltaFd, -deltaIn, -deltaOut, 0, 0, 0, in, out, fd);
    }

    /**
     * go traces a block in the scope that refused, with what that scope held. A refusal that shadow
     * mode let through is no block: the reservation goes on and is traced as it happens.
     */
    @Override
    public final void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                              long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
        if (shadow) {
            return;
        }
        switch (resource) {
            case MEMORY -> record(Type.BLOCK_RESERVE_MEMORY, refusing, null, priority.value(), requested, 0, 0,
                    current, 0, 0, 0, 0, 0);
            case STREAMS_INBOUND, STREAMS_OUTBOUND, STREAMS -> blockedStreams(requester, refusing, resource,
                    requested);
            case CONNS_INBOUND, CONNS_OUTBOUND, CONNS, FD -> blockedConns(requester, refusing, resource, requested);
            default -> throw new AssertionError(resource);
        }
    }

    /*
     * Stream and connection refusals are rarer than memory ones and already cost the caller an
     * exception, so reading the scopes' stats (a small allocation) is affordable here.
     *
     * The refusal names only the resource that failed. go's events carry both directions of the
     * attempted change: when another scope refused, the requester (the stream or connection being
     * added or moved) already holds exactly that change, so its stat gives both directions; when
     * the requester refused itself, only the failing resource's direction is known.
     */
    private void blockedStreams(ObservedScope requester, ObservedScope refusing, Resource resource,
                                long requested) {
        long deltaIn = resource == Resource.STREAMS_INBOUND ? requested : 0;
        long deltaOut = resource == Resource.STREAMS_OUTBOUND ? requested : 0;
        long unattributed = resource == Resource.STREAMS ? requested : 0;
        if (requester != refusing) {
            ScopeStat asked = requester.stat();
            if (asked.get(resource) == requested) {
                deltaIn = asked.streamsInbound();
                deltaOut = asked.streamsOutbound();
                unattributed = 0;
            }
        }
        ScopeStat held = refusing.stat();
        record(Type.BLOCK_ADD_STREAM, refusing, null, 0, unattributed, deltaIn, deltaOut, 0, held.streamsInbound(),
                held.streamsOutbound(), 0, 0, 0);
    }

    private void blockedConns(ObservedScope requester, ObservedScope refusing, Resource resource, long requested) {
        long deltaIn = resource == Resource.CONNS_INBOUND ? requested : 0;
        long deltaOut = resource == Resource.CONNS_OUTBOUND ? requested : 0;
        long deltaFd = resource == Resource.FD ? requested : 0;
        if (requester != refusing) {
            ScopeStat asked = requester.stat();
            if (asked.get(resource) == requested) {
                deltaIn = asked.connsInbound();
                deltaOut = asked.connsOutbound();
                deltaFd = asked.fd();
            }
        }
        ScopeStat held = refusing.stat();
        record(Type.BLOCK_ADD_CONN, refusing, null, 0, deltaFd, deltaIn, deltaOut, 0, 0, 0, held.connsInbound(),
                held.connsOutbound(), held.fd());
    }
}
