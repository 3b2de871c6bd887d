package org.jrcmgr.offheap;

import static org.jrcmgr.ReservationPriority.HIGH;
import static org.jrcmgr.ReservationPriority.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.Limit;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ScopeStat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A scope of some other provider, written against the API only: allocation works through it with
 * the API's default reservation (it cannot be reclaimed, so the buffer's owner must close it).
 */
class CustomProviderTest {

    private static long chronicleBaseline;

    @BeforeAll
    static void warmUp() {
        chronicleBaseline = Fixtures.warmChronicleBaseline();
    }

    /** The smallest honest scope: one memory counter under one limit. */
    static final class CountingScope implements ResourceScope {
        private final String name;
        private final BaseLimit limit;
        private long memory;

        CountingScope(String name, long limit) {
            this.name = name;
            this.limit = BaseLimit.UNLIMITED.toBuilder().memory(limit).build();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized void reserveMemory(long size, ReservationPriority priority) {
            if (!tryReserveMemory(size, priority)) {
                throw new ResourceLimitExceededException(name, name, Resource.MEMORY, memory, size,
                        limit.memory(), priority);
            }
        }

        @Override
        public synchronized boolean tryReserveMemory(long size, ReservationPriority priority) {
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size);
            }
            if (!priority.admits(memory, size, limit.memory().capacity())) {
                return false;
            }
            memory += size;
            return true;
        }

        @Override
        public synchronized void releaseMemory(long size) {
            if (size < 0 || size > memory) {
                throw new IllegalArgumentException("cannot release " + size + " of " + memory);
            }
            memory -= size;
        }

        @Override
        public synchronized ScopeStat stat() {
            return new ScopeStat(0, 0, 0, 0, 0, memory);
        }

        @Override
        public Limit limit() {
            return limit;
        }

        @Override
        public ResourceScopeSpan beginSpan() {
            throw new UnsupportedOperationException("no spans here");
        }
    }

    @Test
    void allocationWorksThroughAnyScope() {
        OffHeap offHeap = OffHeap.create();
        CountingScope a = new CountingScope("custom-a", 100_000);
        CountingScope b = new CountingScope("custom-b", 12_000);

        NativeBuffer buffer = offHeap.allocate(a, 8000, HIGH);
        assertEquals(8000, a.stat().memory());
        Fixtures.assertHolds(offHeap, 1, 8000, chronicleBaseline);
        Fixtures.writeAndReadThroughBothViews(buffer, 5);

        // b admits 4781 bytes at LOW: refused cleanly; 9562 at HIGH: accepted
        assertThrows(ResourceLimitExceededException.class, () -> buffer.transferTo(b, LOW));
        assertEquals(8000, a.stat().memory());
        assertEquals(0, b.stat().memory());
        buffer.transferTo(b, HIGH);
        assertSame(b, buffer.scope());
        assertEquals(0, a.stat().memory());
        assertEquals(8000, b.stat().memory());

        assertThrows(ResourceLimitExceededException.class, () -> offHeap.allocate(b, 3000, HIGH));
        Fixtures.assertHolds(offHeap, 1, 8000, chronicleBaseline);

        buffer.close();
        assertEquals(0, b.stat().memory());
        Fixtures.assertEmpty(offHeap, chronicleBaseline);
        assertThrows(IllegalStateException.class, buffer::close);
        assertEquals(0, b.stat().memory());
    }
}
