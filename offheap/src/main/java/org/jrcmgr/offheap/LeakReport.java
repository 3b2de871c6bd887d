package org.jrcmgr.offheap;

import java.util.Objects;

/**
 * A buffer that was still open when its scope was done.
 *
 * @param size           the buffer's size in bytes
 * @param scopePath      the path of the scope that was done while holding it, root first
 *                       ({@code system > peer:12D3KooW… > stream-4})
 * @param freeDeferred   whether freeing the native memory waits for {@link NativeBuffer.Pin}s
 *                       still open on the buffer; false means it is already freed
 * @param allocationSite where the buffer was allocated, when leak tracing is on; otherwise null
 */
public record LeakReport(long size, String scopePath, boolean freeDeferred, Throwable allocationSite) {

    /** @throws NullPointerException if {@code scopePath} is null */
    public LeakReport {
        Objects.requireNonNull(scopePath, "scopePath");
    }
}
