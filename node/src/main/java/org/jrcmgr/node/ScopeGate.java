package org.jrcmgr.node;

import java.util.concurrent.atomic.AtomicInteger;
import org.jrcmgr.ResourceScopeSpan;

/**
 * Ends a connection's or stream's scope only once nothing drawn from it is still in flight: a
 * frame queued in Netty's outbound buffer, or a buffer being filled by another thread. Ending the
 * scope earlier would reclaim those buffers under Netty's feet (and report them as leaks).
 *
 * <p>{@link #enter()} before drawing a buffer from the scope, {@link #exit()} once the buffer is
 * gone; {@link #close()} when the owner is finished: the scope is done at the first moment both
 * hold, exactly once.
 */
final class ScopeGate {

    /** Users in flight, or -1 once the scope is done. */
    private final AtomicInteger users = new AtomicInteger();
    private final ResourceScopeSpan scope;
    private volatile boolean closing;

    ScopeGate(ResourceScopeSpan scope) {
        this.scope = scope;
    }

    ResourceScopeSpan scope() {
        return scope;
    }

    /** Registers a user; false once the gate is closing (the scope must not be drawn from). */
    boolean enter() {
        for (;;) {
            int n = users.get();
            if (n < 0 || closing) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                if (closing) {
                    // close() ran between the check and the increment: back out.
                    exit();
                    return false;
                }
                return true;
            }
        }
    }

    void exit() {
        if (users.decrementAndGet() == 0 && closing) {
            tryDone();
        }
    }

    /** The owner is finished: the scope is done now, or when the last user exits. */
    void close() {
        closing = true;
        tryDone();
    }

    boolean isClosing() {
        return closing;
    }

    /** Users still in flight (0 once done). */
    int inFlight() {
        return Math.max(0, users.get());
    }

    private void tryDone() {
        if (users.compareAndSet(0, -1)) {
            scope.done();
        }
    }
}
