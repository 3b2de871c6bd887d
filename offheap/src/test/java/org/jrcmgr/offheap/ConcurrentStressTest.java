package org.jrcmgr.offheap;

import static org.jrcmgr.offheap.Fixtures.assertEmpty;
import static org.jrcmgr.offheap.Fixtures.assertNoMemoryAnywhere;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.junit.jupiter.api.Test;

/**
 * Threads allocate, write, transfer, pin, close and leak buffers against limits small enough to
 * refuse often, while spans come and go under them. At the end the allocator's books, chronicle's
 * count and every scope are back to zero, and no scope's peak ever went over its limit.
 */
class ConcurrentStressTest {

    private static final int THREADS = 4;
    private static final int OPERATIONS = 20_000;
    private static final int STREAMS = 8;
    private static final long SYSTEM = 384 * 1024;
    private static final long PEER = 256 * 1024;
    private static final long PROTOCOL = 300 * 1024;
    private static final long STREAM = 64 * 1024;
    private static final List<ReservationPriority> PRIORITIES = List.of(ReservationPriority.LOW,
            ReservationPriority.MEDIUM, ReservationPriority.HIGH, ReservationPriority.ALWAYS);

    @Test
    void theBooksBalanceAndNoLimitIsEverExceeded() throws Exception {
        long chronicleBaseline = Fixtures.warmChronicleBaseline();
        PeerId[] peers = {PeerId.random(), PeerId.random()};
        ProtocolId protocol = ProtocolId.of("/stress/1.0.0");
        ConcreteLimitConfig limits = Fixtures.limits(SYSTEM, STREAM)
                .peerDefault(Fixtures.memory(PEER))
                .protocolDefault(Fixtures.memory(PROTOCOL))
                .build();
        AtomicLong leaks = new AtomicLong();
        OffHeap offHeap = OffHeap.builder().leakListener(report -> leaks.incrementAndGet()).build();

        try (ResourceManager manager = Fixtures.manager(limits)) {
            StreamManagementScope[] streams = new StreamManagementScope[STREAMS];
            AtomicReferenceArray<ResourceScopeSpan> spans = new AtomicReferenceArray<>(STREAMS);
            for (int i = 0; i < STREAMS; i++) {
                streams[i] = manager.openStream(peers[i % peers.length], Direction.INBOUND);
                if (i % 2 == 0) {
                    streams[i].setProtocol(protocol);
                }
                spans.set(i, streams[i].beginSpan());
            }
            ConcurrentLinkedQueue<NativeBuffer> handedOver = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong allocated = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong transferred = new AtomicLong();
            AtomicLong pinnedReads = new AtomicLong();
            CyclicBarrier start = new CyclicBarrier(THREADS);

            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 0x5EED + t;
                workers.add(new Thread(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    List<NativeBuffer> mine = new ArrayList<>();
                    try {
                        start.await();
                        for (int op = 0; op < OPERATIONS; op++) {
                            int stream = random.nextInt(STREAMS);
                            ResourceScope scope = random.nextBoolean() ? streams[stream] : spans.get(stream);
                            int dice = random.nextInt(1000);
                            if (dice < 400) {
                                long size = 1 + random.nextInt(16 * 1024);
                                ReservationPriority priority = PRIORITIES.get(random.nextInt(PRIORITIES.size()));
                                try {
                                    NativeBuffer b = offHeap.allocate(scope, size, priority);
                                    allocated.incrementAndGet();
                                    // Pinned: another thread may end the span, reclaiming the buffer, at any moment.
                                    try (NativeBuffer.Pin pin = b.pin()) {
                                        pin.byteBuffer().put(0, (byte) 1).put((int) size - 1, (byte) 2);
                                    } catch (IllegalStateException reclaimedAlready) {
                                        assertEquals(NativeBuffer.State.RECLAIMED, b.state());
                                    }
                                    if (random.nextInt(4) == 0) {
                                        handedOver.add(b); // another thread will pin, read and close it
                                    } else {
                                        mine.add(b);
                                    }
                                } catch (ResourceLimitExceededException | ResourceScopeClosedException e) {
                                    refused.incrementAndGet();
                                }
                            } else if (dice < 600 && !mine.isEmpty()) {
                                NativeBuffer b = mine.get(random.nextInt(mine.size()));
                                try {
                                    b.transferTo(scope, PRIORITIES.get(random.nextInt(PRIORITIES.size())));
                                    transferred.incrementAndGet();
                                } catch (ResourceLimitExceededException | ResourceScopeClosedException e) {
                                    refused.incrementAndGet();
                                } catch (IllegalStateException reclaimed) {
                                    // Its span was done by another thread: reclaimed, nothing to move. The
                                    // buffer may not know yet: it is told once the span has let go of its lock.
                                    assertTrue(reclaimed.getMessage().contains("reclaimed"), reclaimed.getMessage());
                                }
                            } else if (dice < 850 && !mine.isEmpty()) {
                                mine.remove(random.nextInt(mine.size())).close(); // a no-op if reclaimed
                            } else if (dice < 998) {
                                NativeBuffer b = handedOver.poll();
                                if (b != null) {
                                    readPinned(b, pinnedReads);
                                    if (random.nextBoolean()) {
                                        b.close();
                                    } else {
                                        mine.add(b);
                                    }
                                }
                            } else {
                                // a span ends with whatever it holds, reclaimed, and a new one begins
                                ResourceScopeSpan old = spans.get(stream);
                                ResourceScopeSpan fresh = streams[stream].beginSpan();
                                if (spans.compareAndSet(stream, old, fresh)) {
                                    old.done();
                                } else {
                                    fresh.done();
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        for (NativeBuffer b : mine) {
                            b.close();
                        }
                    }
                }, "stress-" + t));
            }
            workers.forEach(Thread::start);
            for (Thread w : workers) {
                w.join();
            }
            if (!failures.isEmpty()) {
                Throwable first = failures.peek();
                failures.forEach(Throwable::printStackTrace);
                fail(failures.size() + " worker(s) failed; the first: " + first, first);
            }
            assertTrue(allocated.get() > 1000 && refused.get() > 100 && transferred.get() > 100,
                    "the run exercised allocation, refusal and transfer: allocated " + allocated + ", refused "
                            + refused + ", transferred " + transferred + ", pinned reads " + pinnedReads
                            + ", leaks " + leaks);

            // Peaks are read while every stream is still alive, so that the streams' own are there too.
            int checked = 0;
            for (ScopeSnapshot scope : manager.snapshot().scopes()) {
                LimitValue limit = scope.limit().memory();
                if (!limit.isUnlimited()) {
                    checked++;
                    assertTrue(scope.peak().memory() <= limit.capacity(),
                            scope.path() + " peaked at " + scope.peak().memory() + " over its limit " + limit);
                }
            }
            assertTrue(checked >= STREAMS + 4, "checked " + checked + " limited scopes");

            NativeBuffer b;
            while ((b = handedOver.poll()) != null) {
                b.close();
            }
            for (int i = 0; i < STREAMS; i++) {
                spans.get(i).done();
                streams[i].done();
            }
            assertNoMemoryAnywhere(manager);
            assertEmpty(offHeap, chronicleBaseline);
            assertEquals(leaks.get(), offHeap.stats().leakedBuffers());
        }
    }

    /** Pins a buffer another thread may be closing or reclaiming, and reads it safely if the pin was granted. */
    private static void readPinned(NativeBuffer b, AtomicLong reads) {
        NativeBuffer.Pin pin;
        try {
            pin = b.pin();
        } catch (IllegalStateException ended) {
            return;
        }
        try {
            ByteBuffer view = pin.byteBuffer();
            assertEquals(1, view.get(0));
            assertEquals(2, view.get(view.capacity() - 1));
            reads.incrementAndGet();
        } finally {
            pin.close();
        }
    }
}
