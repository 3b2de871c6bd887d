package org.jrcmgr.impl.scope;

import static org.jrcmgr.ReservationPriority.ALWAYS;
import static org.jrcmgr.ReservationPriority.HIGH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.Reclaimer;
import org.jrcmgr.Reservation;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.junit.jupiter.api.Test;

/**
 * {@link TrackedReservation}: a reservation its scope knows about, given back exactly once, by
 * {@code close()} or by the scope being done first (then its reclaimer is told), and movable
 * between scopes of one manager without ever being unaccounted.
 */
class ReservationTest extends ManagerFixtures.FreshManager {

    private static final long SYSTEM_MEMORY = 1 << 20;
    private static final long STREAM_MEMORY = 64 * 1024;
    private static final Multiaddr ENDPOINT = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001");

    private final PeerId peer = PeerId.random();

    @Override
    ConcreteLimitConfig limits() {
        return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(BaseLimit.UNLIMITED.toBuilder().memory(SYSTEM_MEMORY).build())
                .stream(BaseLimit.UNLIMITED.toBuilder().memory(STREAM_MEMORY).build())
                .build();
    }

    private long memory(ResourceScope scope) {
        return scope.stat().memory();
    }

    private long systemMemory() {
        return memory(manager.system());
    }

    private StreamManagementScope stream() {
        return manager.openStream(peer, Direction.INBOUND);
    }

    /** Records every reclaim with the thread it ran on. */
    private static final class Recorder implements Reclaimer {
        final List<String> paths = new CopyOnWriteArrayList<>();
        final List<Reservation> reservations = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public void reclaim(Reservation reservation, String scopePath) {
            reservations.add(reservation);
            paths.add(scopePath);
            threads.add(Thread.currentThread());
        }
    }

    // ---- reserve and close ---------------------------------------------------------------------

    @Test
    void reserveThenCloseGivesEverythingBack() {
        StreamManagementScope s = stream();
        Reservation r = s.reserve(4096, HIGH, null);
        assertEquals(Reservation.State.OPEN, r.state());
        assertSame(s, r.scope());
        assertEquals(4096, r.size());
        assertEquals(4096, memory(s));
        assertEquals(4096, memory(s.peerScope()));
        assertEquals(4096, memory(manager.transientScope()));
        assertEquals(4096, systemMemory());
        assertTrue(((Scope) s).holdsReservations());

        r.close();
        assertEquals(Reservation.State.RELEASED, r.state());
        assertEquals(0, memory(s));
        assertEquals(0, memory(s.peerScope()));
        assertEquals(0, memory(manager.transientScope()));
        assertEquals(0, systemMemory());
        assertFalse(((Scope) s).holdsReservations());
        s.done();
    }

    @Test
    void secondCloseThrowsAndChangesNothing() {
        StreamManagementScope s = stream();
        Reservation kept = s.reserve(1000, HIGH, null);
        Reservation r = s.reserve(4096, HIGH, null);
        r.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, r::close);
        assertTrue(e.getMessage().contains("4096 bytes") && e.getMessage().contains("already released"),
                e.getMessage());
        assertEquals(1000, memory(s));
        assertEquals(1000, systemMemory());
        kept.close();
        assertEquals(0, systemMemory());
        s.done();
    }

    @Test
    void refusedReservationHoldsNothing() {
        StreamManagementScope s = stream();
        ResourceLimitExceededException e = assertThrows(ResourceLimitExceededException.class,
                () -> s.reserve(STREAM_MEMORY + 1, ALWAYS, null));
        assertFalse(e.retryable());
        assertEquals(0, memory(s));
        assertEquals(0, systemMemory());
        assertFalse(((Scope) s).holdsReservations());
        assertThrows(IllegalArgumentException.class, () -> s.reserve(-1, ALWAYS, null));
        s.done();
        assertThrows(ResourceScopeClosedException.class, () -> s.reserve(1, ALWAYS, null));
        assertEquals(0, systemMemory());
    }

    // ---- reclaim -------------------------------------------------------------------------------

    @Test
    void connDoneReclaimsOnceWithItsPath() {
        ConnManagementScope conn = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
        Recorder recorder = new Recorder();
        Reservation r = conn.reserve(2048, HIGH, recorder);
        String path = ((Scope) conn).path();
        assertEquals(2048, systemMemory());

        conn.done();
        assertEquals(Reservation.State.RECLAIMED, r.state());
        assertEquals(List.of(path), recorder.paths);
        assertSame(r, recorder.reservations.get(0));
        assertSame(Thread.currentThread(), recorder.threads.get(0), "told on the thread that closed the scope");
        assertEquals(0, systemMemory());
        assertEquals(0, memory(manager.transientScope()));

        r.close(); // the scope took the bytes back already: nothing to do, and no error
        assertEquals(Reservation.State.RECLAIMED, r.state());
        conn.done();
        assertEquals(1, recorder.paths.size(), "a second done reclaims nothing");
    }

    @Test
    void streamDoneReclaimsEveryOpenReservation() {
        StreamManagementScope s = stream();
        Recorder recorder = new Recorder();
        Reservation a = s.reserve(1000, HIGH, recorder);
        Reservation b = s.reserve(2000, HIGH, recorder);
        Reservation closed = s.reserve(3000, HIGH, recorder);
        closed.close();
        String path = ((Scope) s).path();
        assertTrue(path.startsWith("system > peer:"), path);

        s.done();
        assertEquals(2, recorder.paths.size());
        assertEquals(List.of(path, path), recorder.paths);
        assertTrue(recorder.reservations.containsAll(List.of(a, b)));
        assertEquals(Reservation.State.RELEASED, closed.state());
        assertEquals(0, systemMemory());
        assertEquals(0, memory(s.peerScope()));
    }

    @Test
    void reclaimerMayUseTheManagerFreely() {
        // Told outside every lock: it can reserve elsewhere, close the reservation, take a snapshot.
        StreamManagementScope s = stream();
        StreamManagementScope other = stream();
        AtomicReference<Reservation> made = new AtomicReference<>();
        Reservation r = s.reserve(1000, HIGH, (reservation, path) -> {
            reservation.close();
            made.set(other.reserve(10, HIGH, null));
            assertNotNull(manager.snapshot());
        });
        s.done();
        assertEquals(Reservation.State.RECLAIMED, r.state());
        assertEquals(10, systemMemory());
        made.get().close();
        other.done();
        assertEquals(0, systemMemory());
    }

    @Test
    void spanDoneReclaimsItsReservationsOnly() {
        StreamManagementScope s = stream();
        Recorder recorder = new Recorder();
        Reservation inStream = s.reserve(1000, HIGH, recorder);
        ResourceScopeSpan span = s.beginSpan();
        Reservation inSpan = span.reserve(2000, HIGH, recorder);
        assertEquals(3000, memory(s));
        String spanPath = ((Scope) span).path();
        assertEquals(((Scope) s).path() + " > " + span.name(), spanPath);

        span.done();
        assertEquals(List.of(spanPath), recorder.paths);
        assertEquals(Reservation.State.RECLAIMED, inSpan.state());
        assertEquals(Reservation.State.OPEN, inStream.state());
        assertEquals(1000, memory(s));
        assertEquals(1000, systemMemory());
        inStream.close();
        assertEquals(0, systemMemory());
        s.done();
    }

    /**
     * The stream's {@code done()} gives back everything its spans hold, so a reservation in a span
     * must be reclaimed too, even though the span itself was not done: otherwise it stays open with
     * bytes no scope above counts any more, and whatever it stands for (native memory) is never
     * freed.
     */
    @Test
    void ownerDoneReclaimsTheReservationsOfItsSpans() {
        StreamManagementScope s = stream();
        String streamPath = ((Scope) s).path();
        Recorder recorder = new Recorder();
        ResourceScopeSpan span = s.beginSpan();
        ResourceScopeSpan inner = span.beginSpan();
        Reservation inSpan = span.reserve(2000, HIGH, recorder);
        Reservation inInner = inner.reserve(3000, HIGH, recorder);
        span.reserveMemory(100, HIGH); // plain bytes, not a reservation: the span keeps its zombie semantics
        assertEquals(5100, systemMemory());

        s.done();
        assertEquals(Reservation.State.RECLAIMED, inSpan.state());
        assertEquals(Reservation.State.RECLAIMED, inInner.state());
        assertEquals(2, recorder.paths.size());
        assertTrue(recorder.paths.contains(streamPath + " > " + span.name()), recorder.paths.toString());
        assertTrue(recorder.paths.contains(streamPath + " > " + span.name() + " > " + inner.name()),
                recorder.paths.toString());
        assertEquals(0, systemMemory());
        assertEquals(0, memory(s.peerScope()));
        assertEquals(0, memory(inner), "the inner span's books drop its reclaimed reservation");
        assertEquals(100, memory(span), "the zombie still shows its plain bytes, as before");

        inSpan.close();
        inInner.close();
        assertThrows(ResourceScopeClosedException.class, () -> inner.reserve(1, ALWAYS, null));
        inner.done();
        span.done();
        assertEquals(2, recorder.paths.size());
        assertEquals(0, systemMemory());
    }

    // ---- transfer ------------------------------------------------------------------------------

    @Test
    void transferToSpanAndToAnotherStream() {
        StreamManagementScope s = stream();
        StreamManagementScope t = stream();
        Recorder recorder = new Recorder();
        Reservation r = s.reserve(4096, HIGH, recorder);
        ResourceScopeSpan span = s.beginSpan();

        r.transferTo(span, HIGH);
        assertSame(span, r.scope());
        assertEquals(4096, memory(span));
        assertEquals(4096, memory(s), "a span's bytes count in its owner");
        assertEquals(4096, systemMemory(), "a transfer never counts twice once done");
        assertFalse(((Scope) s).holdsReservations());
        assertTrue(((Scope) span).holdsReservations());

        r.transferTo(t, HIGH);
        assertSame(t, r.scope());
        assertEquals(0, memory(span));
        assertEquals(0, memory(s));
        assertEquals(4096, memory(t));
        assertEquals(4096, systemMemory());

        r.transferTo(t, HIGH); // to where it is: nothing happens
        assertEquals(4096, memory(t));

        span.done();
        s.done();
        assertEquals(Reservation.State.OPEN, r.state(), "the reservation left those scopes");
        String tPath = ((Scope) t).path();
        t.done();
        assertEquals(Reservation.State.RECLAIMED, r.state());
        assertEquals(List.of(tPath), recorder.paths);
        assertEquals(0, systemMemory());
    }

    @Test
    void transferRefusedByAFullTargetChangesNothing() {
        StreamManagementScope s = stream();
        StreamManagementScope t = stream();
        Reservation r = s.reserve(40_000, ALWAYS, null);
        Reservation filler = t.reserve(30_000, ALWAYS, null);

        ResourceLimitExceededException e = assertThrows(ResourceLimitExceededException.class,
                () -> r.transferTo(t, ALWAYS));
        assertEquals(t.name(), e.refusingScope());
        assertSame(s, r.scope());
        assertEquals(Reservation.State.OPEN, r.state());
        assertEquals(40_000, memory(s));
        assertEquals(30_000, memory(t));
        assertEquals(70_000, systemMemory());

        filler.close();
        r.transferTo(t, ALWAYS);
        assertEquals(0, memory(s));
        assertEquals(40_000, memory(t));
        r.close();
        assertEquals(0, systemMemory());
        s.done();
        t.done();
    }

    @Test
    void transferOfAnEndedReservationThrows() {
        StreamManagementScope s = stream();
        StreamManagementScope t = stream();
        Reservation released = s.reserve(100, HIGH, null);
        released.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> released.transferTo(t, HIGH));
        assertTrue(e.getMessage().contains("released"), e.getMessage());

        Reservation reclaimed = s.reserve(200, HIGH, null);
        s.done();
        e = assertThrows(IllegalStateException.class, () -> reclaimed.transferTo(t, HIGH));
        assertTrue(e.getMessage().contains("reclaimed"), e.getMessage());
        assertEquals(0, memory(t));
        assertEquals(0, systemMemory());

        Reservation open = t.reserve(300, HIGH, null);
        assertThrows(ResourceScopeClosedException.class, () -> open.transferTo(s, HIGH));
        assertSame(t, open.scope());
        assertEquals(300, systemMemory());
        open.close();
        t.done();
    }

    @Test
    void transferToAnotherManagerIsAnArgumentError() {
        DefaultResourceManager other = new DefaultResourceManager(new FixedLimiter(limits()), null);
        try {
            StreamManagementScope s = stream();
            StreamManagementScope foreign = other.openStream(peer, Direction.OUTBOUND);
            Reservation r = s.reserve(100, HIGH, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.transferTo(foreign, HIGH));
            assertTrue(e.getMessage().contains("another resource manager"), e.getMessage());
            assertSame(s, r.scope());
            assertEquals(100, systemMemory());
            assertEquals(0, memory(other.system()));
            r.close();
            s.done();
            foreign.done();
        } finally {
            other.close();
        }
    }

    // ---- collection ------------------------------------------------------------------------------

    @Test
    void peerHoldingAnOpenReservationIsNotCollected() {
        Reservation r = manager.viewPeer(peer, p -> p.reserve(0, HIGH, null));
        // Zero bytes: the scope's counters are all zero, only the open reservation keeps it.
        manager.collect();
        PeerScopeImpl kept = manager.peerIfPresent(peer);
        assertNotNull(kept, "a peer with an open reservation is in use");
        assertEquals(Reservation.State.OPEN, r.state());

        r.close();
        manager.collect();
        assertNull(manager.peerIfPresent(peer));
    }

    // ---- races -----------------------------------------------------------------------------------

    @Test
    void closeRacingDoneGivesTheBytesBackExactlyOnce() throws Exception {
        for (int i = 0; i < 2000; i++) {
            StreamManagementScope s = stream();
            Recorder recorder = new Recorder();
            Reservation r = s.reserve(1000, HIGH, recorder);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread closer = new Thread(() -> {
                try {
                    start.await();
                    r.close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            closer.start();
            start.await();
            s.done();
            closer.join();
            assertNull(failure.get());
            if (recorder.paths.isEmpty()) {
                assertEquals(Reservation.State.RELEASED, r.state());
            } else {
                assertEquals(1, recorder.paths.size());
                assertEquals(Reservation.State.RECLAIMED, r.state());
            }
            assertEquals(0, systemMemory());
            assertEquals(0, memory(manager.transientScope()));
        }
    }

    /**
     * A transfer takes the reservation out of one scope's list and puts it into the other's without
     * holding both locks; a close arriving in between must neither release it twice nor unlink it
     * from a list it is not in (which would drop the source scope's other reservations).
     */
    @Test
    void closeRacingTransferReleasesOnceAndKeepsTheOtherReservations() throws Exception {
        StreamManagementScope s = stream();
        StreamManagementScope t = stream();
        Reservation sentinel = s.reserve(7, HIGH, null);
        for (int i = 0; i < 5000; i++) {
            Reservation r = s.reserve(1000, HIGH, null);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread mover = new Thread(() -> {
                try {
                    start.await();
                    r.transferTo(t, HIGH);
                } catch (IllegalStateException closedFirst) {
                    // the close won: nothing to move
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            mover.start();
            start.await();
            r.close();
            mover.join();
            assertNull(failure.get());
            assertEquals(Reservation.State.RELEASED, r.state());
            assertEquals(7, memory(s), "round " + i);
            assertEquals(0, memory(t), "round " + i);
            assertEquals(7, systemMemory(), "round " + i);
            assertTrue(((Scope) s).holdsReservations(), "the sentinel is still listed, round " + i);
        }
        sentinel.close();
        assertEquals(0, systemMemory());
        s.done();
        assertEquals(Reservation.State.RELEASED, sentinel.state());
        t.done();
    }

    @Test
    void oppositeTransfersDoNotDeadlock() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            StreamManagementScope s = stream();
            StreamManagementScope t = stream();
            List<Reservation> fromS = new ArrayList<>();
            List<Reservation> fromT = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fromS.add(s.reserve(100, HIGH, null));
                fromT.add(t.reserve(100, HIGH, null));
            }
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread a = new Thread(() -> bounce(fromS, t, s, start, failure));
            Thread b = new Thread(() -> bounce(fromT, s, t, start, failure));
            a.start();
            b.start();
            a.join();
            b.join();
            assertNull(failure.get());
            assertEquals(2000, systemMemory());
            assertEquals(2000, memory(s) + memory(t));
            fromS.forEach(Reservation::close);
            fromT.forEach(Reservation::close);
            assertEquals(0, systemMemory());
            s.done();
            t.done();
        });
    }

    private static void bounce(List<Reservation> reservations, ResourceScope there, ResourceScope back,
                               CyclicBarrier start, AtomicReference<Throwable> failure) {
        try {
            start.await();
            for (int round = 0; round < 2000; round++) {
                for (Reservation r : reservations) {
                    r.transferTo(round % 2 == 0 ? there : back, ALWAYS);
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    @Test
    void doneRacingTransferIntoASpanLeavesNothingBehind() throws Exception {
        for (int i = 0; i < 2000; i++) {
            StreamManagementScope s = stream();
            StreamManagementScope t = stream();
            ResourceScopeSpan span = t.beginSpan();
            Recorder recorder = new Recorder();
            Reservation r = s.reserve(1000, HIGH, recorder);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread mover = new Thread(() -> {
                try {
                    start.await();
                    r.transferTo(span, HIGH);
                } catch (ResourceScopeClosedException targetDone) {
                    // t was done first, or while the bytes were moving
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            mover.start();
            start.await();
            t.done();
            mover.join();
            assertNull(failure.get());
            if (r.state() == Reservation.State.OPEN) {
                assertSame(s, r.scope(), "a refused transfer leaves it where it was");
                r.close();
            } else {
                assertEquals(Reservation.State.RECLAIMED, r.state());
                assertEquals(1, recorder.paths.size());
                r.close(); // reclaimed: nothing left to give back
            }
            assertEquals(0, memory(s), "round " + i);
            assertEquals(0, memory(span), "round " + i);
            assertEquals(0, systemMemory(), "round " + i);
            span.done();
            s.done();
        }
    }
}
