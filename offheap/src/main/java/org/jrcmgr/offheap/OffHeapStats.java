package org.jrcmgr.offheap;

/**
 * The books of one {@link OffHeap} allocator, kept in its own counters at the moment each event
 * happens (never read back from chronicle's lagging gauge).
 *
 * <p>At a quiescent point (no allocation, close, transfer or scope {@code done()} in flight, no
 * {@link NativeBuffer.Pin} open) the three byte counts agree: {@code liveBytes == reservedBytes ==
 * nativeBytes}, and {@code deferredBytes == 0}. {@link #balanced()} checks exactly that. While pins
 * hold closed or reclaimed buffers, {@code nativeBytes == liveBytes + deferredBytes}.
 *
 * @param liveBuffers   buffers allocated and neither closed nor reclaimed
 * @param liveBytes     the sum of their sizes
 * @param reservedBytes the sum of the sizes of the reservations backing this allocator's buffers
 *                      that are still held in a scope
 * @param nativeBytes   native memory this allocator has allocated and not yet freed
 * @param deferredBytes native memory of buffers closed or reclaimed while pinned, freed when the
 *                      last pin is closed (included in {@code nativeBytes})
 * @param leakedBuffers buffers reclaimed because their scope was done first, since the allocator
 *                      was made
 */
public record OffHeapStats(long liveBuffers, long liveBytes, long reservedBytes, long nativeBytes,
                           long deferredBytes, long leakedBuffers) {

    /** Whether the books agree, as they must at every quiescent point. */
    public boolean balanced() {
        return liveBytes == reservedBytes && reservedBytes == nativeBytes && deferredBytes == 0;
    }
}
