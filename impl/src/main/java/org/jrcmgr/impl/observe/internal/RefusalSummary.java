package org.jrcmgr.impl.observe.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jrcmgr.LimitValue;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refusals as a summary, at most once per interval: "refused 12 reservations in the last
 * minute (3 in shadow mode), top scopes: peer:12D3KooW... (7), transient (4), system (1)", at WARN
 * when any refusal was real, at INFO when shadow mode let them all through. Kubo added such a
 * line by hand because go-libp2p logs each refusal at debug only.
 *
 * <p>Counting is on the refusing thread and allocates nothing once a scope has been seen: a
 * counter per refusing scope's name in a map capped at {@link #DEFAULT_MAX_SCOPES} names (the
 * rest count as "other scopes"), and totals. The summary is composed and logged elsewhere: the
 * first refusal of a window schedules it on the JDK's shared delay scheduler, for the end of the
 * interval since the last summary (at once if that is past), so a lone refusal is logged promptly,
 * a burst once, the reserving thread never writes a log line, and the manager runs no thread of
 * its own. The last window is logged when the manager closes.
 */
public final class RefusalSummary implements ScopeObserver {

    /** How often at most a summary is logged by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    /** How many scopes are counted by name; refusals by others count together. */
    public static final int DEFAULT_MAX_SCOPES = 1024;

    /** How many scopes a summary names. */
    static final int TOP_SCOPES = 5;

    private static final Logger LOG = LoggerFactory.getLogger("org.jrcmgr.rcmgr");

    /** Where a summary goes. */
    @FunctionalInterface
    public interface Sink {
        /** One summary; {@code warn} when some refusals were real, else all were in shadow mode. */
        void summary(boolean warn, String message);
    }

    /** Runs a task after a delay, once. */
    @FunctionalInterface
    public interface Scheduler {
        /** Runs {@code task} once, {@code delayNanos} from now (at once if zero). */
        void schedule(Runnable task, long delayNanos);
    }

    private final long intervalNanos;
    private final String window;
    private final int maxScopes;
    private final LongSupplier nanoClock;
    private final Sink sink;
    private final Scheduler scheduler;
    private final Runnable timer = this::timerFired;

    private final ConcurrentHashMap<String, AtomicLong> byScope = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong shadow = new AtomicLong();
    private final AtomicLong otherScopes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** When the last summary was logged; written holding this, read by the refusing thread without it. */
    private volatile long lastSummary;
    /** Guarded by this. */
    private boolean closed;

    /**
     * A summary at most every {@code interval}, timed by {@code nanoClock} (a monotonic clock in
     * nanoseconds, such as {@link System#nanoTime()}), written to {@code sink}, emitted through
     * {@code scheduler}.
     */
    public RefusalSummary(Duration interval, int maxScopes, LongSupplier nanoClock, Sink sink, Scheduler scheduler) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the summary interval must be positive, got " + interval);
        }
        if (maxScopes < 0) {
            throw new IllegalArgumentException("the number of scopes counted must not be negative, got " + maxScopes);
        }
        this.intervalNanos = interval.toNanos();
        this.window = describe(interval);
        this.maxScopes = maxScopes;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        // The first refusal is summarised at once.
        this.lastSummary = nanoClock.getAsLong() - intervalNanos;
    }

    /** A summary at most every {@code interval} to the {@code org.jrcmgr.rcmgr} logger. */
    public static RefusalSummary toLog(Duration interval) {
        return new RefusalSummary(interval, DEFAULT_MAX_SCOPES, System::nanoTime, RefusalSummary::log,
                RefusalSummary::scheduleShared);
    }

    private static void log(boolean warn, String message) {
        if (warn) {
            LOG.warn(message);
        } else {
            LOG.info(message);
        }
    }

    /** The JDK's shared delay thread runs the task itself: no pool, no thread of ours. */
    private static void scheduleShared(Runnable task, long delayNanos) {
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, Runnable::run).execute(task);
    }

    // ---- the refusing thread ---------------------------------------------------------------------------

    @Override
    public void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                        long requested, LimitValue limit, ReservationPriority priority, boolean inShadow) {
        count(refusing.name(), inShadow);
    }

    /** Counts one refusal by {@code scope}. */
    void count(String scope, boolean inShadow) {
        AtomicLong counter = byScope.get(scope);
        if (counter == null && byScope.mappingCount() < maxScopes) {
            // Allocates once per scope name while the cap allows; a name idle for a whole window is forgotten.
            counter = byScope.computeIfAbsent(scope, k -> new AtomicLong());
        }
        (counter != null ? counter : otherScopes).incrementAndGet();
        if (inShadow) {
            shadow.incrementAndGet();
        }
        // Totals last: a summary that sees this refusal in the total also sees it in its scope.
        total.incrementAndGet();
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            schedule(nanoClock.getAsLong());
        }
    }

    private void schedule(long now) {
        scheduler.schedule(timer, Math.max(0, lastSummary + intervalNanos - now));
    }

    // ---- the scheduler's thread ----------------------------------------------------------------------

    private void timerFired() {
        long now = nanoClock.getAsLong();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (now - lastSummary < intervalNanos) {
                // Fired early by the clock's reckoning: try again when the interval is over.
                scheduler.schedule(timer, lastSummary + intervalNanos - now);
                return;
            }
            // Cleared before the counts are read, so a refusal counted after the read schedules the next one.
            scheduled.set(false);
            summarise(now);
        }
    }

    /** The manager is closed: the last window's refusals are logged now. */
    @Override
    public void managerClosed() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            summarise(nanoClock.getAsLong());
        }
    }

    /** Logs and resets the counts; call holding this. */
    private void summarise(long now) {
        lastSummary = now;
        long refusals = total.getAndSet(0);
        long inShadow = shadow.getAndSet(0);
        long others = otherScopes.getAndSet(0);
        List<Map.Entry<String, Long>> top = new ArrayList<>();
        for (Map.Entry<String, AtomicLong> e : byScope.entrySet()) {
            long n = e.getValue().getAndSet(0);
            if (n > 0) {
                top.add(Map.entry(e.getKey(), n));
            } else {
                byScope.remove(e.getKey(), e.getValue());
            }
        }
        if (refusals == 0) {
            return;
        }
        top.sort(Comparator.comparing((Map.Entry<String, Long> e) -> e.getValue()).reversed()
                .thenComparing(Map.Entry::getKey));
        StringBuilder message = new StringBuilder(160).append("refused ").append(refusals)
                .append(refusals == 1 ? " reservation" : " reservations").append(" in the last ").append(window);
        if (inShadow > 0) {
            message.append(" (").append(inShadow).append(" in shadow mode)");
        }
        message.append(", top scopes: ");
        int shown = Math.min(TOP_SCOPES, top.size());
        for (int i = 0; i < shown; i++) {
            Map.Entry<String, Long> e = top.get(i);
            message.append(i == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        long rest = others;
        for (int i = shown; i < top.size(); i++) {
            rest += top.get(i).getValue();
        }
        if (rest > 0) {
            message.append(shown == 0 ? "" : ", ").append("other scopes (").append(rest).append(')');
        }
        sink.summary(inShadow < refusals, message.toString());
    }

    /** "minute", "5 minutes", "30 seconds": the window as the message names it. */
    static String describe(Duration interval) {
        long seconds = interval.getSeconds();
        if (interval.getNano() != 0 || seconds == 0) {
            return interval.toMillis() + " ms";
        }
        if (seconds % 3600 == 0) {
            long h = seconds / 3600;
            return h == 1 ? "hour" : h + " hours";
        }
        if (seconds % 60 == 0) {
            long m = seconds / 60;
            return m == 1 ? "minute" : m + " minutes";
        }
        return seconds == 1 ? "second" : seconds + " seconds";
    }

    @Override
    public String toString() {
        return "refusal summary every " + window;
    }
}
