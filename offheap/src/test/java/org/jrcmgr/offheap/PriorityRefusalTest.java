package org.jrcmgr.offheap;

import static org.jrcmgr.offheap.Fixtures.assertEmpty;
import static org.jrcmgr.offheap.Fixtures.assertHolds;
import static org.jrcmgr.offheap.Fixtures.assertNoMemoryAnywhere;
import static org.jrcmgr.offheap.Fixtures.memory;
import static org.jrcmgr.offheap.Fixtures.systemMemory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jrcmgr.Direction;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.StreamManagementScope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A memory limit admits at each priority exactly up to its threshold; a refused allocation
 * allocates nothing natively and leaves every scope's books as they were.
 */
class PriorityRefusalTest extends Fixtures.ManagerAndAllocator {

    private static final long STREAM = 256 * 1024;
    private static final long SYSTEM = 512 * 1024;

    private final PeerId peer = PeerId.random();

    PriorityRefusalTest() {
        super(SYSTEM, STREAM, false);
    }

    static List<ReservationPriority> priorities() {
        return List.of(ReservationPriority.LOW, ReservationPriority.MEDIUM, ReservationPriority.HIGH,
                ReservationPriority.ALWAYS);
    }

    /** Fills {@code scope} to the priority's threshold of {@code limit}, then checks one byte more is refused cleanly. */
    private void fillToThresholdThenRefuse(ResourceScope scope, long limit, ReservationPriority priority,
                                           String refusingScope) {
        long threshold = priority.threshold(limit);
        NativeBuffer full = offHeap.allocate(scope, threshold, priority);
        assertHolds(offHeap, 1, threshold, chronicleBaseline);
        long scopeBefore = memory(scope);
        long systemBefore = systemMemory(manager);

        ResourceLimitExceededException e = assertThrows(ResourceLimitExceededException.class,
                () -> offHeap.allocate(scope, 1, priority));
        assertSame(priority, e.priority());
        assertEquals(refusingScope, e.refusingScope());
        assertEquals(threshold, e.current());
        assertEquals(1, e.requested());
        // nothing allocated, nothing reserved anywhere
        assertHolds(offHeap, 1, threshold, chronicleBaseline);
        assertEquals(scopeBefore, memory(scope));
        assertEquals(systemBefore, systemMemory(manager));

        int next = priorities().indexOf(priority) + 1;
        if (next < priorities().size()) {
            // the next priority admits more: the same byte now fits
            try (NativeBuffer oneMore = offHeap.allocate(scope, 1, priorities().get(next))) {
                assertHolds(offHeap, 2, threshold + 1, chronicleBaseline);
                assertEquals(1, oneMore.size());
            }
        }
        full.close();
        assertEmpty(offHeap, chronicleBaseline);
    }

    @ParameterizedTest
    @MethodSource("priorities")
    void theStreamLimitRefusesPastEachThreshold(ReservationPriority priority) {
        StreamManagementScope s = manager.openStream(peer, Direction.INBOUND);
        fillToThresholdThenRefuse(s, STREAM, priority, s.name());
        s.done();
        assertNoMemoryAnywhere(manager);
    }

    @ParameterizedTest
    @MethodSource("priorities")
    void aSpanIsRefusedByItsStreamsLimit(ReservationPriority priority) {
        StreamManagementScope s = manager.openStream(peer, Direction.INBOUND);
        try (ResourceScopeSpan span = s.beginSpan()) {
            fillToThresholdThenRefuse(span, STREAM, priority, span.name());
        }
        s.done();
        assertNoMemoryAnywhere(manager);
    }

    @ParameterizedTest
    @MethodSource("priorities")
    void theSystemLimitRefusesAStreamsAllocation(ReservationPriority priority) {
        // Streams big enough that only the system's limit can refuse.
        try (ResourceManager wide = Fixtures.manager(SYSTEM, SYSTEM * 4)) {
            manager.close();
            manager = wide;
            StreamManagementScope s = wide.openStream(peer, Direction.INBOUND);
            fillToThresholdThenRefuse(s, SYSTEM, priority, "system");
            s.done();
            assertNoMemoryAnywhere(wide);
        }
    }
}
