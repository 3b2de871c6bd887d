package org.jrcmgr.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jrcmgr.LimitValue;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.impl.observe.ObserveFixtures.FakeScope;
import org.jrcmgr.impl.observe.internal.RefusalSummary;
import org.junit.jupiter.api.Test;

/** The rate-limited refusal summary, on a clock and a scheduler the test turns by hand. */
class RefusalSummaryTest {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private static final FakeScope STREAM = FakeScope.of("stream-9", ScopeKind.STREAM);
    private static final FakeScope PEER_A = FakeScope.of("peer:12D3KooWA", ScopeKind.PEER);
    private static final FakeScope PEER_B = FakeScope.of("peer:12D3KooWB", ScopeKind.PEER);
    private static final FakeScope TRANSIENT = FakeScope.of("transient", ScopeKind.TRANSIENT);
    private static final FakeScope SYSTEM = FakeScope.of("system", ScopeKind.SYSTEM);

    /** The clock, the pending task and what was logged. */
    private static final class Harness {
        final AtomicLong now = new AtomicLong(1_000_000_000_000L);
        final List<Runnable> tasks = new ArrayList<>();
        final List<Long> dueAt = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        final RefusalSummary summary;

        Harness(int maxScopes) {
            summary = new RefusalSummary(Duration.ofMinutes(1), maxScopes, now::get,
                    (warn, message) -> lines.add((warn ? "WARN " : "INFO ") + message),
                    (task, delay) -> {
                        tasks.add(task);
                        dueAt.add(now.get() + delay);
                    });
        }

        void refuse(FakeScope refusing, boolean shadow, int times) {
            for (int i = 0; i < times; i++) {
                summary.refused(STREAM, refusing, Resource.MEMORY, 10, 20, LimitValue.of(16),
                        ReservationPriority.ALWAYS, shadow);
            }
        }

        /** Moves the clock to the next task's time and runs it. */
        void runNext() {
            Runnable task = tasks.remove(0);
            now.set(Math.max(now.get(), dueAt.remove(0)));
            task.run();
        }
    }

    @Test
    void refusalsAreSummarisedOncePerIntervalWithCountsAndTopScopes() {
        Harness h = new Harness(RefusalSummary.DEFAULT_MAX_SCOPES);

        // The first refusal is summarised at once (from the scheduler's thread, never the refusing one).
        h.refuse(TRANSIENT, false, 1);
        assertEquals(1, h.tasks.size());
        assertEquals(h.now.get(), h.dueAt.get(0));
        assertTrue(h.lines.isEmpty(), "nothing is logged on the refusing thread");
        h.runNext();
        assertEquals(List.of("WARN refused 1 reservation in the last minute, top scopes: transient (1)"), h.lines);

        // A burst within the next minute: one task, scheduled for a minute after the first line.
        long firstLine = h.now.get();
        h.now.addAndGet(MINUTE / 4);
        h.refuse(PEER_A, false, 7);
        h.refuse(TRANSIENT, false, 4);
        h.refuse(PEER_B, true, 3);
        h.refuse(SYSTEM, false, 1);
        assertEquals(1, h.tasks.size());
        assertEquals(firstLine + MINUTE, h.dueAt.get(0));
        h.runNext();
        assertEquals("WARN refused 15 reservations in the last minute (3 in shadow mode), top scopes: "
                + "peer:12D3KooWA (7), transient (4), peer:12D3KooWB (3), system (1)", h.lines.get(1));

        // Nothing more: nothing is scheduled, nothing logged.
        assertTrue(h.tasks.isEmpty());
        assertEquals(2, h.lines.size());
    }

    @Test
    void shadowOnlyRefusalsAreLoggedAtInfo() {
        Harness h = new Harness(RefusalSummary.DEFAULT_MAX_SCOPES);
        h.refuse(PEER_A, true, 2);
        h.runNext();
        assertEquals(List.of("INFO refused 2 reservations in the last minute (2 in shadow mode), top scopes: "
                + "peer:12D3KooWA (2)"), h.lines);
    }

    @Test
    void onlyTheTopFiveAreNamedAndScopesBeyondTheCapCountTogether() {
        Harness h = new Harness(6);
        for (int i = 0; i < 8; i++) {
            h.refuse(FakeScope.of("peer:" + (char) ('A' + i), ScopeKind.PEER), false, 10 - i);
        }
        h.runNext();
        // A..F are counted by name (the cap is 6): A..E named, F (5) and the uncounted G (4) and H (3) together.
        assertEquals(List.of("WARN refused 52 reservations in the last minute, top scopes: peer:A (10), peer:B (9),"
                + " peer:C (8), peer:D (7), peer:E (6), other scopes (12)"), h.lines);
    }

    @Test
    void theLastWindowIsLoggedWhenTheManagerCloses() {
        Harness h = new Harness(RefusalSummary.DEFAULT_MAX_SCOPES);
        h.refuse(TRANSIENT, false, 1);
        h.runNext();
        h.refuse(SYSTEM, false, 2);
        assertEquals(1, h.tasks.size(), "due in a minute");
        h.summary.managerClosed();
        assertEquals("WARN refused 2 reservations in the last minute, top scopes: system (2)", h.lines.get(1));
        // The pending task finds the summary closed and logs nothing more.
        h.runNext();
        assertEquals(2, h.lines.size());
    }

    @Test
    void aTaskFiredEarlyWaitsForTheRestOfTheInterval() {
        Harness h = new Harness(RefusalSummary.DEFAULT_MAX_SCOPES);
        h.refuse(TRANSIENT, false, 1);
        h.runNext();
        h.refuse(TRANSIENT, false, 1);
        Runnable task = h.tasks.remove(0);
        long due = h.dueAt.remove(0);
        h.now.set(due - 1);
        task.run();
        assertEquals(1, h.lines.size());
        assertEquals(List.of(due), h.dueAt);
        h.runNext();
        assertEquals(2, h.lines.size());
    }
}
