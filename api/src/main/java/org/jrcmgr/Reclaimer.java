package org.jrcmgr;

/**
 * Told when a scope is done while a {@link Reservation} in it is still open: the scope has taken
 * the bytes back, and whatever they stood for must go too (an off-heap allocator frees the native
 * memory and reports the leak).
 *
 * <p>Called once per reservation, on the thread that closed the scope, after the scope has
 * released everything and outside its locks. An exception it throws is logged, not propagated.
 */
@FunctionalInterface
public interface Reclaimer {

    /**
     * @param reservation the reservation, now {@link Reservation.State#RECLAIMED}
     * @param scopePath   the path of the scope that was done, root first
     */
    void reclaim(Reservation reservation, String scopePath);
}
