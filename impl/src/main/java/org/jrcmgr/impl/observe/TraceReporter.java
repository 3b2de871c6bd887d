package org.jrcmgr.impl.observe;

/**
 * Receives the resource manager's trace as events, go-libp2p's {@code TraceReporter}
 * ({@code WithTraceReporter}); give one to
 * {@link org.jrcmgr.impl.ResourceManagerBuilder#traceReporter(TraceReporter)}.
 *
 * <p>It is called synchronously, on the thread whose operation caused the event, often while a
 * scope's lock is held: it must be thread-safe and quick, and must not call back into the resource
 * manager. Events of one scope arrive in the order they happened; events of different scopes may
 * interleave across threads. An exception it throws is logged and does not affect the operation.
 * Unlike the trace file, each event is a fresh {@link TraceEvent}: a reporter can keep it.
 */
@FunctionalInterface
public interface TraceReporter {

    /**
     * One event.
     *
     * @param event what happened
     */
    void consumeEvent(TraceEvent event);
}
