package org.jrcmgr.impl.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Direction;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.Refusal;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refusals decided from reads alone (before the scope's lock, and after a refusal from above by
 * the edge that would refuse): the same refusal as the compare-and-set path gives, recorded once,
 * no counter changed anywhere, and a success as soon as there is room again.
 */
class EarlyRefusalTest {

    private static final PeerId PEER = PeerId.random();
    private static final ProtocolId PROTOCOL = ProtocolId.of("/early/1.0.0");
    private static final long SYSTEM_MEMORY = 1 << 20;

    private DefaultResourceManager manager;
    private StreamManagementScope stream;

    @BeforeEach
    void open() {
        ConcreteLimitConfig limits = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(BaseLimit.builder().streams(100, 100, 100).memory(SYSTEM_MEMORY).build())
                .stream(BaseLimit.builder().streams(1, 1, 1).memory(64 * 1024).build())
                .build();
        manager = new DefaultResourceManager(new FixedLimiter(limits), null);
        stream = manager.openStream(PEER, Direction.INBOUND);
        stream.setProtocol(PROTOCOL);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void refusedByTheScopeItselfChangesNothingAndIsRecordedOnce() {
        stream.reserveMemory(64 * 1024, ReservationPriority.ALWAYS);
        ScopeStat before = manager.system().stat();
        for (int i = 0; i < 3; i++) {
            assertFalse(stream.tryReserveMemory(1, ReservationPriority.ALWAYS));
        }
        ResourceLimitExceededException refused = assertThrows(ResourceLimitExceededException.class,
                () -> stream.reserveMemory(1, ReservationPriority.ALWAYS));
        assertEquals(stream.name(), refused.refusingScope());
        assertEquals(64 * 1024, refused.current());
        assertEquals(before, manager.system().stat());
        assertEquals(64 * 1024, stream.stat().memory());
        assertEquals(4, manager.refusalCount(Resource.MEMORY, false));
        stream.releaseMemory(1024);
        stream.reserveMemory(1024, ReservationPriority.ALWAYS);
        assertEquals(64 * 1024, stream.stat().memory());
    }

    @Test
    void refusedByTheSystemTheSameWayEveryTimeAndAdmittedOnceThereIsRoom() {
        long filler = SYSTEM_MEMORY - 1024;
        manager.system().reserveMemory(filler, ReservationPriority.ALWAYS);
        for (int i = 0; i < 4; i++) {
            // The first refusal comes from the compare-and-set path, the others from reads alone.
            ResourceLimitExceededException refused = assertThrows(ResourceLimitExceededException.class,
                    () -> stream.reserveMemory(2048, ReservationPriority.ALWAYS));
            assertEquals("system", refused.refusingScope());
            assertEquals(filler, refused.current());
            assertEquals(2048, refused.requested());
            assertFalse(stream.tryReserveMemory(2048, ReservationPriority.ALWAYS));
            assertEquals(0, stream.stat().memory());
            assertEquals(0, manager.peerIfPresent(PEER).stat().memory());
            assertEquals(0, manager.protocolIfPresent(PROTOCOL).stat().memory());
            assertEquals(filler, manager.system().stat().memory());
        }
        assertEquals(8, manager.refusalCount(Resource.MEMORY, false));
        List<Refusal> recent = manager.recentRefusals();
        assertEquals(8, recent.size());
        assertTrue(recent.stream().allMatch(r -> r.refusingScope().equals("system")), recent::toString);
        assertEquals(((Scope) stream).path(), recent.get(7).path());

        // A smaller reservation fits: admitted although the last one was refused from above.
        stream.reserveMemory(1024, ReservationPriority.ALWAYS);
        assertEquals(SYSTEM_MEMORY, manager.system().stat().memory());
        assertEquals(1024, manager.peerIfPresent(PEER).stat().memory());
        stream.releaseMemory(1024);
        manager.system().releaseMemory(filler);
        stream.reserveMemory(2048, ReservationPriority.ALWAYS);
        assertEquals(2048, manager.system().stat().memory());
    }

    @Test
    void shadowModeStillLetsEverythingThroughAndRecordsEachOnce() {
        manager.system().setShadow(true);
        manager.system().reserveMemory(SYSTEM_MEMORY, ReservationPriority.ALWAYS);
        for (int i = 0; i < 3; i++) {
            stream.reserveMemory(1024, ReservationPriority.ALWAYS);
        }
        assertEquals(3 * 1024, stream.stat().memory());
        assertEquals(SYSTEM_MEMORY + 3 * 1024, manager.system().stat().memory());
        assertEquals(3, manager.refusalCount(Resource.MEMORY, true));
        assertEquals(0, manager.refusalCount(Resource.MEMORY, false));
    }

    @Test
    void aDoneScopeIsClosedNotRefused() {
        stream.reserveMemory(64 * 1024, ReservationPriority.ALWAYS);
        stream.done();
        assertThrows(ResourceScopeClosedException.class, () -> stream.reserveMemory(1, ReservationPriority.ALWAYS));
        assertFalse(stream.tryReserveMemory(1, ReservationPriority.ALWAYS));
        assertEquals(0, manager.refusalCount(Resource.MEMORY, false));
    }
}
