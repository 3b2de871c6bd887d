package org.jrcmgr.offheap;

/**
 * Told of every buffer that was still open when the scope holding it was done: a leak, which the
 * allocator has already cleaned up (the scope took the bytes back, the native memory is freed).
 * Useful to fail a test on a leak, count leaks in metrics, or log them somewhere else than SLF4J.
 *
 * <p>Called on the thread that closed the scope, after the scope has let go of its locks. An
 * exception it throws is logged and otherwise ignored: the clean-up is already done.
 */
@FunctionalInterface
public interface LeakListener {

    /** One leaked buffer. */
    void leaked(LeakReport report);
}
