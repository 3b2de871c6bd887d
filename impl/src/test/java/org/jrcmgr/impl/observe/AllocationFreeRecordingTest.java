package org.jrcmgr.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.observe.ObserveFixtures.AllocationMeter;
import org.jrcmgr.impl.observe.ObserveFixtures.FakeScope;
import org.jrcmgr.impl.observe.internal.FileTraceObserver;
import org.jrcmgr.impl.observe.internal.FlightRecorderObserver;
import org.jrcmgr.impl.observe.internal.RefusalSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording paths allocate nothing per event on the recording thread: the trace file's event
 * capture, the refusal summary's counting, the flight recorder check while no recording takes
 * refusals, and the composite that tells them all; and so does a manager built with all of them,
 * reserving, releasing and being refused.
 *
 * <p>Measured with {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes} around
 * 10,000 events after a warm-up long enough for the JIT to compile the paths. The bound, 2 KiB per
 * 10,000 events, is what go-libp2p's bar (at most 10 allocations per 10,000 events) comes to with
 * objects of up to 200 bytes; a single 16-byte object per event would be 160,000 bytes, eighty
 * times the bound, so any allocation per event fails the test while a one-off (a lazily made
 * object, the measurement's own first call) does not. The best of five runs is asserted, so that a
 * one-off in one run does not decide; an allocation per event shows in every run.
 */
class AllocationFreeRecordingTest {

    private static final int EVENTS = 10_000;
    private static final long BOUND_BYTES = 2 * 1024;
    private static final int WARM_UP_ROUNDS = 40;
    private static final int RUNS = 5;

    private static final FakeScope STREAM = new FakeScope("stream-1", "system > peer:P > stream-1",
            ScopeKind.STREAM, BaseLimit.UNLIMITED, org.jrcmgr.ScopeStat.ZERO);
    private static final FakeScope PEER = FakeScope.of("peer:P", ScopeKind.PEER);
    private static final FakeScope TRANSIENT = FakeScope.of("transient", ScopeKind.TRANSIENT);
    private static final FakeScope SYSTEM = FakeScope.of("system", ScopeKind.SYSTEM);
    private static final LimitValue LIMIT = LimitValue.of(4096);

    /** Records exactly {@link #EVENTS} events. */
    @FunctionalInterface
    private interface Workload {
        void run();
    }

    /** Warms {@code work} up, then returns the bytes it allocated in each of {@link #RUNS} runs. */
    private static long[] measure(Workload work) {
        AllocationMeter meter = new AllocationMeter();
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            work.run();
            meter.allocatedBytes();
        }
        long[] bytes = new long[RUNS];
        for (int r = 0; r < RUNS; r++) {
            long before = meter.allocatedBytes();
            work.run();
            bytes[r] = meter.allocatedBytes() - before;
        }
        return bytes;
    }

    private static void assertAllocationFree(String what, long[] bytes) {
        long best = Long.MAX_VALUE;
        List<Long> all = new ArrayList<>();
        for (long b : bytes) {
            best = Math.min(best, b);
            all.add(b);
        }
        System.out.println("allocated bytes per " + EVENTS + " events, " + what + ": " + all);
        assertTrue(best < BOUND_BYTES, what + " allocated " + all + " bytes per " + EVENTS + " events");
    }

    /** One of each per-scope event, ten per round. */
    private static void tenEvents(ScopeObserver o) {
        o.memoryReserved(STREAM, 64, ReservationPriority.HIGH, 128);
        o.memoryReleased(STREAM, 64, 64);
        o.streamsAdded(PEER, 1, 0, 3, 4);
        o.streamsRemoved(PEER, 1, 0, 2, 4);
        o.connsAdded(SYSTEM, 0, 1, 1, 5, 6, 7);
        o.connsRemoved(SYSTEM, 0, 1, 1, 5, 5, 6);
        o.scopeCreated(STREAM);
        o.scopeDestroyed(STREAM);
        o.refused(STREAM, TRANSIENT, Resource.MEMORY, 4000, 200, LIMIT, ReservationPriority.LOW, false);
        o.memoryAllowed(64);
    }

    /** Where the control's objects go, so that the JIT cannot prove them unused. */
    private static volatile Object sink;

    @Test
    void theMeasurementSeesAnAllocationPerEvent() {
        long[] bytes = measure(() -> {
            for (int i = 0; i < EVENTS; i++) {
                sink = new long[1];
            }
        });
        for (long b : bytes) {
            assertTrue(b >= 16L * EVENTS, "an array per event is at least 16 bytes per event, measured " + b);
        }
    }

    @Test
    void theTraceFileRecordsWithoutAllocating(@TempDir Path dir) {
        // A ring larger than a run: measured is the capture into the ring, not the dropping when full.
        FileTraceObserver trace = FileTraceObserver.open(dir.resolve("t.json.gz"), 1 << 16,
                new FixedLimiter(ConcreteLimitConfig.infinite()));
        try {
            assertAllocationFree("trace file", measure(() -> {
                for (int i = 0; i < EVENTS / 10; i++) {
                    tenEvents(trace);
                }
            }));
        } finally {
            trace.close();
        }
        assertTrue(trace.writtenEvents() > 0);
    }

    @Test
    void theSummaryCountsWithoutAllocating() {
        RefusalSummary summary = RefusalSummary.toLog(Duration.ofMinutes(1));
        assertAllocationFree("refusal summary", measure(() -> {
            for (int i = 0; i < EVENTS / 2; i++) {
                summary.refused(STREAM, PEER, Resource.MEMORY, 4000, 200, LIMIT, ReservationPriority.LOW, false);
                summary.refused(STREAM, TRANSIENT, Resource.STREAMS_INBOUND, 1, 1, LIMIT, ReservationPriority.ALWAYS,
                        true);
            }
        }));
        summary.managerClosed();
    }

    @Test
    void theFlightRecorderCostsACheckWhileNoRecordingTakesRefusals() {
        assertFalse(FlightRecorderObserver.refusalsEnabled());
        ScopeObserver jfr = FlightRecorderObserver.INSTANCE;
        assertAllocationFree("flight recorder, disabled", measure(() -> {
            for (int i = 0; i < EVENTS; i++) {
                jfr.refused(STREAM, PEER, Resource.MEMORY, 4000, 200, LIMIT, ReservationPriority.LOW, false);
            }
        }));
    }

    @Test
    void theCompositeOfAllTellsEveryoneWithoutAllocating(@TempDir Path dir) {
        FileTraceObserver trace = FileTraceObserver.open(dir.resolve("t.json.gz"), 1 << 17,
                new FixedLimiter(ConcreteLimitConfig.infinite()));
        RefusalSummary summary = RefusalSummary.toLog(Duration.ofMinutes(1));
        ScopeObserver all = ScopeObserver.composite(trace, FlightRecorderObserver.INSTANCE, summary);
        try {
            assertAllocationFree("composite of trace, flight recorder and summary", measure(() -> {
                for (int i = 0; i < EVENTS / 10; i++) {
                    tenEvents(all);
                }
            }));
        } finally {
            all.managerClosed();
        }
    }

    /**
     * End to end: a manager with a trace file, the summary and the flight recorder, a stream with
     * three edges reserving, releasing and being refused. Each round is 11 observer events (4
     * reserve_memory and a memoryAllowed, 4 release_memory, a refusal and a memoryBlocked), so a
     * run is 11,000 events measured against the bound for 10,000.
     */
    @Test
    void aManagerWithEveryRecorderReservesReleasesAndRefusesWithoutAllocating(@TempDir Path dir) {
        ConcreteLimitConfig limits = ConcreteLimitConfig.infinite().toBuilder()
                .stream(BaseLimit.UNLIMITED.toBuilder().memory(1 << 20).build())
                .build();
        try (ResourceManager rm = ResourceManagerBuilder.create().limits(limits).collectInterval(null)
                .trace(dir.resolve("rcmgr.json.gz"), 1 << 17).build()) {
            PeerId peer = PeerId.random();
            ConnManagementScope conn = rm.openConnection(Direction.INBOUND, true, Multiaddr.parse("/ip4/192.0.2.7/tcp/1"));
            conn.setPeer(peer);
            StreamManagementScope stream = rm.openStream(peer, Direction.INBOUND);
            long[] bytes = measure(() -> {
                for (int i = 0; i < EVENTS / 10; i++) {
                    stream.reserveMemory(1024, ReservationPriority.ALWAYS);
                    stream.releaseMemory(1024);
                    if (stream.tryReserveMemory(2 << 20, ReservationPriority.ALWAYS)) {
                        throw new AssertionError("the stream's 1 MiB must refuse 2 MiB");
                    }
                }
            });
            assertAllocationFree("manager with trace file, summary and flight recorder", bytes);
            assertEquals(0, stream.stat().memory());
            stream.done();
            conn.done();
        }
    }
}
