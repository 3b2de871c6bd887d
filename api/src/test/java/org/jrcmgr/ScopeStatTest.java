package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScopeStatTest {

    private static final ScopeStat STAT = new ScopeStat(1, 2, 3, 4, 5, 6);

    @Test
    void zeroHoldsNothing() {
        assertTrue(ScopeStat.ZERO.isZero());
        assertTrue(new ScopeStat(0, 0, 0, 0, 0, 0).isZero());
        for (Resource resource : Resource.values()) {
            assertEquals(0, ScopeStat.ZERO.get(resource), resource.name());
        }
    }

    @Test
    void anyNonZeroCountIsNotZero() {
        assertFalse(new ScopeStat(1, 0, 0, 0, 0, 0).isZero());
        assertFalse(new ScopeStat(0, 1, 0, 0, 0, 0).isZero());
        assertFalse(new ScopeStat(0, 0, 1, 0, 0, 0).isZero());
        assertFalse(new ScopeStat(0, 0, 0, 1, 0, 0).isZero());
        assertFalse(new ScopeStat(0, 0, 0, 0, 1, 0).isZero());
        assertFalse(new ScopeStat(0, 0, 0, 0, 0, 1).isZero());
    }

    @Test
    void totalsAddBothDirections() {
        assertEquals(3, STAT.streams());
        assertEquals(7, STAT.conns());
    }

    @Test
    void getReadsEachResource() {
        assertEquals(1, STAT.get(Resource.STREAMS_INBOUND));
        assertEquals(2, STAT.get(Resource.STREAMS_OUTBOUND));
        assertEquals(3, STAT.get(Resource.STREAMS));
        assertEquals(3, STAT.get(Resource.CONNS_INBOUND));
        assertEquals(4, STAT.get(Resource.CONNS_OUTBOUND));
        assertEquals(7, STAT.get(Resource.CONNS));
        assertEquals(5, STAT.get(Resource.FD));
        assertEquals(6, STAT.get(Resource.MEMORY));
    }

    @Test
    void memoryIsALong() {
        ScopeStat big = new ScopeStat(0, 0, 0, 0, 0, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, big.memory());
        assertEquals(Long.MAX_VALUE, big.get(Resource.MEMORY));
    }

    @Test
    void valueSemantics() {
        assertEquals(new ScopeStat(1, 2, 3, 4, 5, 6), STAT);
        assertEquals(new ScopeStat(1, 2, 3, 4, 5, 6).hashCode(), STAT.hashCode());
        assertNotEquals(new ScopeStat(1, 2, 3, 4, 5, 7), STAT);
    }

    @Test
    void negativeCountsAreRejectedNamingEveryField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScopeStat(0, 0, 0, 0, 0, -1));
        assertTrue(e.getMessage().contains("memory=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ScopeStat(0, 0, -3, 0, 0, 0));
        assertTrue(e.getMessage().contains("connsInbound=-3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScopeStat(-1, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScopeStat(0, -1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScopeStat(0, 0, 0, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScopeStat(0, 0, 0, 0, -1, 0));
    }
}
