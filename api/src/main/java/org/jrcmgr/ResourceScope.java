package org.jrcmgr;

/**
 * A node of the resource DAG: it holds resources and admits new ones only while it, and every
 * scope that constrains it, stays within its limits.
 *
 * <p>Every method is safe to call from any thread. A refused reservation changes no counter in
 * any scope.
 */
public interface ResourceScope {

    /**
     * The scope's name as go-libp2p writes it: {@code system}, {@code transient},
     * {@code peer:12D3KooW...}, {@code protocol:/ipfs/ping/1.0.0}, {@code conn-17},
     * {@code stream-4.span-1}, ...
     */
    String name();

    /**
     * Reserves {@code size} bytes in this scope and every scope that constrains it, at
     * {@code priority} (see {@link ReservationPriority}).
     *
     * @throws ResourceLimitExceededException if any scope would go over its limit at this priority;
     *                                        nothing is then reserved anywhere
     * @throws ResourceScopeClosedException   if the scope (or one it depends on) is done
     * @throws IllegalArgumentException       if {@code size} is negative
     */
    void reserveMemory(long size, ReservationPriority priority);

    /**
     * Like {@link #reserveMemory}, but a refusal (or a closed scope) returns {@code false} instead of
     * throwing: for callers that simply carry on without the memory, such as a muxer that keeps
     * its receive window.
     *
     * @throws IllegalArgumentException if {@code size} is negative
     */
    boolean tryReserveMemory(long size, ReservationPriority priority);

    /**
     * Releases {@code size} bytes reserved earlier in this scope. Releasing on a scope that is done
     * does nothing: {@code done()} already gave everything back.
     *
     * @throws IllegalArgumentException if {@code size} is negative or more than the scope holds;
     *                                  nothing is released then
     */
    void releaseMemory(long size);

    /**
     * Reserves {@code size} bytes as one {@link Reservation}: given back by its {@code close()}, or
     * reclaimed, with {@code onReclaim} told, if this scope is done first.
     *
     * <p>The default works for any scope through {@link #reserveMemory} and {@link #releaseMemory}
     * but never reclaims; the default implementation's scopes override it and do.
     *
     * @param onReclaim told if the scope is done while the reservation is open; may be null
     * @throws ResourceLimitExceededException if any scope would go over its limit; nothing is reserved then
     * @throws ResourceScopeClosedException   if the scope is done
     * @throws IllegalArgumentException       if {@code size} is negative
     */
    default Reservation reserve(long size, ReservationPriority priority, Reclaimer onReclaim) {
        return SimpleReservation.reserve(this, size, priority);
    }

    /** What the scope holds now; zero once it is done. */
    ScopeStat stat();

    /** The scope's limits. */
    Limit limit();

    /**
     * Opens a span: a child scope, delimited by control flow, whose reservations count in this
     * scope too, and which gives everything back when it is done. Spans nest.
     *
     * @throws ResourceScopeClosedException if this scope is done
     */
    ResourceScopeSpan beginSpan();
}
