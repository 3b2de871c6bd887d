package org.jrcmgr.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.observe.internal.CompositeObserver;
import org.junit.jupiter.api.Test;

/** Several observers, each isolated from the others and from the reservation. */
class CompositeObserverTest {

    /** Counts memory reservations and manager closes. */
    private static final class Counting implements ScopeObserver {
        final AtomicLong reserved = new AtomicLong();
        final AtomicLong allowed = new AtomicLong();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void memoryReserved(ObservedScope scope, long size, ReservationPriority priority, long usage) {
            reserved.incrementAndGet();
        }

        @Override
        public void memoryAllowed(long size) {
            allowed.incrementAndGet();
        }

        @Override
        public void managerClosed() {
            closed.incrementAndGet();
        }
    }

    /** Throws from everything it is told. */
    private static final class Throwing implements ScopeObserver {
        final AtomicLong calls = new AtomicLong();

        @Override
        public void memoryReserved(ObservedScope scope, long size, ReservationPriority priority, long usage) {
            calls.incrementAndGet();
            throw new IllegalStateException("observer bug");
        }

        @Override
        public void memoryAllowed(long size) {
            calls.incrementAndGet();
            throw new AssertionError("observer bug");
        }

        @Override
        public void managerClosed() {
            throw new IllegalStateException("observer bug on close");
        }

        @Override
        public String toString() {
            return "throwing observer";
        }
    }

    @Test
    void anObserverThatThrowsBreaksNeitherTheOthersNorTheReservation() {
        Counting before = new Counting();
        Throwing throwing = new Throwing();
        Counting after = new Counting();
        ResourceManager rm = ResourceManagerBuilder.create().limits(ConcreteLimitConfig.infinite())
                .collectInterval(null).refusalSummary(null).flightRecorder(false)
                .observer(before).observer(throwing).observer(after).build();
        ConnManagementScope conn = rm.openConnection(Direction.INBOUND, false, Multiaddr.parse("/ip4/192.0.2.7/tcp/1"));
        conn.reserveMemory(100, ReservationPriority.ALWAYS);
        conn.reserveMemory(100, ReservationPriority.ALWAYS);

        // conn, transient and system each report both reservations.
        assertEquals(6, before.reserved.get());
        assertEquals(6, after.reserved.get());
        assertEquals(2, after.allowed.get());
        assertEquals(8, throwing.calls.get());
        assertEquals(200, conn.stat().memory());
        assertEquals(200, rm.snapshot().scope("system").orElseThrow().usage().memory());

        conn.done();
        assertEquals(ScopeStat.ZERO, rm.snapshot().scope("system").orElseThrow().usage());
        rm.close();
        assertEquals(1, before.closed.get());
        assertEquals(1, after.closed.get());
        rm.close();
        assertEquals(1, after.closed.get(), "told once");
    }

    @Test
    void failuresAreCountedPerObserver() {
        Counting ok = new Counting();
        Throwing throwing = new Throwing();
        CompositeObserver composite = (CompositeObserver) ScopeObserver.composite(ok, throwing);
        for (int i = 0; i < 5; i++) {
            composite.memoryAllowed(1);
        }
        composite.managerClosed();
        assertEquals(0, composite.failures(0));
        assertEquals(6, composite.failures(1));
        assertEquals(5, ok.allowed.get());
        assertEquals(List.of(ok, throwing), composite.observers());
    }

    @Test
    void compositesOfNothingAreNone() {
        assertSame(ScopeObserver.NONE, ScopeObserver.composite());
        assertSame(ScopeObserver.NONE, ScopeObserver.composite(ScopeObserver.NONE));
        assertTrue(ScopeObserver.composite(new Counting()) instanceof CompositeObserver,
                "even one observer is isolated from the reservation");
        assertThrows(NullPointerException.class, () -> ScopeObserver.composite((ScopeObserver) null));
    }
}
