package org.jrcmgr.impl.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.junit.jupiter.api.Test;

/** A span whose owner is done reports itself done, as the API promises, and stays harmless. */
class ZombieSpanTest {

    @Test
    void spansOfADoneOwnerAreDoneAtEveryDepth() {
        DefaultResourceManager manager = new DefaultResourceManager(
                ManagerConfig.of(new FixedLimiter(ConcreteLimitConfig.infinite())));
        ConnManagementScope conn = manager.openConnection(Direction.INBOUND, false,
                Multiaddr.parse("/ip4/192.0.2.9/tcp/1"));
        ResourceScopeSpan outer = conn.beginSpan();
        ResourceScopeSpan inner = outer.beginSpan();
        inner.reserveMemory(100, ReservationPriority.ALWAYS);
        assertFalse(inner.isDone());

        conn.done();

        assertTrue(outer.isDone(), "the owner is done");
        assertTrue(inner.isDone(), "an owner further up is done");
        assertThrows(ResourceScopeClosedException.class, () -> inner.reserveMemory(1, ReservationPriority.ALWAYS));
        inner.releaseMemory(100);
        inner.done();
        outer.done();
        assertEquals(ScopeStat.ZERO, manager.snapshot().scope("system").orElseThrow().usage());
    }
}
