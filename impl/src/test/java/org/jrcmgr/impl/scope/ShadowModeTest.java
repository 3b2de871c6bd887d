package org.jrcmgr.impl.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.Refusal;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScopeLimiter;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.junit.jupiter.api.Test;

/** Shadow mode lets everything through and records what would have been refused; the ring keeps the latest. */
class ShadowModeTest {

    private static final Multiaddr REMOTE = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");

    private static ConcreteLimitConfig limits() {
        return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .transientLimit(BaseLimit.UNLIMITED.toBuilder().conns(1, 1, 1).build())
                .peerDefault(BaseLimit.UNLIMITED.toBuilder().memory(1000).build())
                .build();
    }

    @Test
    void managerInShadowModeAdmitsAndRecordsEveryWouldBeRefusal() {
        DefaultResourceManager manager = new DefaultResourceManager(new FixedLimiter(limits()), null, true);
        List<ConnManagementScope> conns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conns.add(manager.openConnection(Direction.INBOUND, false, REMOTE));
        }
        assertEquals(3, manager.snapshot().scope("transient").orElseThrow().usage().connsInbound());
        List<Refusal> refusals = manager.recentRefusals();
        assertEquals(2, refusals.size());
        Refusal second = refusals.get(1);
        assertEquals("system > transient > conn-3", second.path());
        assertEquals("transient", second.refusingScope());
        assertEquals(Resource.CONNS_INBOUND, second.resource());
        assertEquals(2, second.current());
        assertEquals(1, second.requested());
        assertEquals(LimitValue.of(1), second.limit());
        assertTrue(second.shadow());
        assertEquals(2, manager.refusalCount(Resource.CONNS_INBOUND, true));
        assertEquals(0, manager.refusalCount(Resource.CONNS_INBOUND, false));
        conns.forEach(ConnManagementScope::done);
        assertEquals(ScopeStat.ZERO, manager.snapshot().scope("system").orElseThrow().usage());
    }

    @Test
    void oneScopeInShadowModeWhileTheRestEnforces() {
        DefaultResourceManager manager = new DefaultResourceManager(new FixedLimiter(limits()), null, false);
        PeerId peer = PeerId.random();
        StreamManagementScope stream = manager.openStream(peer, Direction.OUTBOUND);
        manager.viewPeer(peer, p -> {
            ((ResourceScopeLimiter) p).setShadow(true);
            return null;
        });
        stream.reserveMemory(1500, ReservationPriority.ALWAYS);
        assertEquals(1500, stream.peerScope().stat().memory());
        Refusal shadow = manager.recentRefusals().get(0);
        assertEquals("peer:" + peer, shadow.refusingScope());
        assertEquals(Resource.MEMORY, shadow.resource());
        assertEquals(0, shadow.current());
        assertEquals(1500, shadow.requested());
        assertTrue(shadow.shadow());

        manager.viewPeer(peer, p -> {
            ((ResourceScopeLimiter) p).setShadow(false);
            return null;
        });
        ResourceLimitExceededException refused = assertThrows(ResourceLimitExceededException.class,
                () -> stream.reserveMemory(1, ReservationPriority.ALWAYS));
        assertEquals("peer:" + peer, refused.refusingScope());
        Refusal real = manager.recentRefusals().get(1);
        assertFalse(real.shadow());
        assertEquals(1500, real.current());
        assertEquals(1500, stream.stat().memory(), "a real refusal changes nothing");
        stream.done();
        assertEquals(0, manager.snapshot().scope("system").orElseThrow().usage().memory());
    }

    @Test
    void shadowModeNeverLetsACounterOverflow() {
        DefaultResourceManager manager = new DefaultResourceManager(new FixedLimiter(limits()), null, true);
        StreamManagementScope stream = manager.openStream(PeerId.random(), Direction.OUTBOUND);
        stream.reserveMemory(Long.MAX_VALUE - 10, ReservationPriority.ALWAYS);
        assertThrows(ResourceLimitExceededException.class, () -> stream.reserveMemory(11, ReservationPriority.ALWAYS));
        assertEquals(Long.MAX_VALUE - 10, stream.stat().memory());
        stream.done();
    }

    @Test
    void theRingKeepsTheLatestRefusalsInOrderIncludingQuietOnes() {
        DefaultResourceManager manager = new DefaultResourceManager(new FixedLimiter(limits()), null, false);
        StreamManagementScope stream = manager.openStream(PeerId.random(), Direction.OUTBOUND);
        int total = RefusalRecorder.DEFAULT_CAPACITY + 44;
        for (int i = 1; i <= total; i++) {
            assertFalse(stream.tryReserveMemory(1000 + i, ReservationPriority.ALWAYS));
        }
        List<Refusal> ring = manager.recentRefusals();
        assertEquals(RefusalRecorder.DEFAULT_CAPACITY, ring.size());
        assertEquals(1000 + 45, ring.get(0).requested(), "the oldest kept is the 45th");
        assertEquals(1000 + total, ring.get(ring.size() - 1).requested());
        assertEquals(total, manager.refusalCount(Resource.MEMORY, false));
        assertEquals(0, stream.stat().memory(), "quiet refusals reserve nothing");
        stream.done();
    }
}
