package org.jrcmgr.impl.observe.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jrcmgr.Limit;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.TraceEvent;
import org.jrcmgr.impl.observe.TraceEvent.TraceScope;
import org.jrcmgr.impl.observe.TraceEvent.Type;
import org.jrcmgr.impl.observe.TraceReporter;

/**
 * Hands every trace event to a user's {@link TraceReporter}, synchronously on the thread that
 * caused it, as go-libp2p's {@code WithTraceReporter} does. Each event is a new record: a reporter
 * wants values it can keep, and it is the user's choice to pay for them.
 */
public final class ReporterTraceObserver extends TraceObserver {

    private final TraceReporter reporter;
    private final LongSupplier epochNanos;

    /** Reports to {@code reporter}, timing events with {@code epochNanos}. */
    public ReporterTraceObserver(TraceReporter reporter, LongSupplier epochNanos) {
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos");
    }

    @Override
    protected void record(Type type, ObservedScope scope, Object limit, int priority, long delta, long deltaIn,
                          long deltaOut, long memory, long streamsIn, long streamsOut, long connsIn, long connsOut,
                          long fd) {
        long now = epochNanos.getAsLong();
        String name = scope == null ? null : scope.name();
        reporter.consumeEvent(new TraceEvent(
                Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L)),
                type, name == null ? null : TraceScope.of(name), name,
                limit instanceof Limit l ? l : null, limit instanceof Limiter l ? l : null,
                priority, delta, deltaIn, deltaOut, memory, streamsIn, streamsOut, connsIn, connsOut, fd));
    }

    @Override
    public String toString() {
        return "trace reporter " + reporter;
    }
}
