package org.jrcmgr;

/**
 * Memory held in a scope as one object, as an off-heap buffer holds it: {@link #close()} gives it
 * back exactly once, from any thread, and it can move to another scope without being given up in
 * between.
 *
 * <p>If the scope is done while the reservation is still open, the scope has already given the
 * memory back; the reservation becomes {@link State#RECLAIMED} and its {@link Reclaimer} is told,
 * so that whatever the memory stood for (a native buffer) is freed too. The default implementation
 * does this for every scope and span; a scope of another provider may not, and then a reservation
 * in it stays open until closed.
 */
public interface Reservation extends AutoCloseable {

    /** Where a reservation stands. */
    enum State {
        /** Held in its scope. */
        OPEN,
        /** Given back by {@link #close()}. */
        RELEASED,
        /** Given back because its scope was done first. */
        RECLAIMED
    }

    /** The bytes held. */
    long size();

    /** The scope that holds the bytes now (it changes with {@link #transferTo}). */
    ResourceScope scope();

    /** Where the reservation stands. */
    State state();

    /**
     * Moves the bytes to {@code target}: they are reserved there first, at {@code priority}, and
     * only then given back to the current scope, so the reservation is never unaccounted.
     *
     * @throws ResourceLimitExceededException if {@code target} has no room; nothing changes then
     * @throws IllegalStateException          if the reservation is no longer open
     * @throws ResourceScopeClosedException   if {@code target} is done
     * @throws IllegalArgumentException       if {@code target} belongs to another manager or provider
     */
    void transferTo(ResourceScope target, ReservationPriority priority);

    /**
     * Gives the bytes back to the scope. Closing a reclaimed reservation does nothing: the scope
     * already took the bytes back.
     *
     * @throws IllegalStateException if the reservation was already released by an earlier close
     */
    @Override
    void close();
}
