package org.jrcmgr.offheap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Managers with memory limits, and checks of the books on both sides: the scopes and the allocator. */
final class Fixtures {

    static final Multiaddr ENDPOINT = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001");

    private Fixtures() {
    }

    /**
     * The setup of the tests that allocate through one manager: chronicle's count of native memory
     * after warming it up, once per class, and for each test a fresh manager limited to memory
     * only, closed after the test, and a fresh allocator.
     */
    abstract static class ManagerAndAllocator {

        static long chronicleBaseline;

        /** What the allocator reported as leaked; stays empty unless the test class collects leaks. */
        final List<LeakReport> leaks = new CopyOnWriteArrayList<>();
        ResourceManager manager;
        OffHeap offHeap;

        private final long systemMemory;
        private final long streamMemory;
        private final boolean collectLeaks;

        /**
         * @param systemMemory the system scope's memory limit
         * @param streamMemory each stream's memory limit
         * @param collectLeaks whether the allocator reports leaks to {@link #leaks}; without a
         *                     listener it only logs them
         */
        ManagerAndAllocator(long systemMemory, long streamMemory, boolean collectLeaks) {
            this.systemMemory = systemMemory;
            this.streamMemory = streamMemory;
            this.collectLeaks = collectLeaks;
        }

        @BeforeAll
        static void warmUp() {
            chronicleBaseline = warmChronicleBaseline();
        }

        @BeforeEach
        void setUp() {
            manager = manager(systemMemory, streamMemory);
            offHeap = collectLeaks ? OffHeap.builder().leakListener(leaks::add).build() : OffHeap.create();
        }

        @AfterEach
        void tearDown() {
            manager.close();
        }
    }

    /** No limit but {@code bytes} of memory. */
    static BaseLimit memory(long bytes) {
        return BaseLimit.UNLIMITED.toBuilder().memory(bytes).build();
    }

    /** Limits where nothing but memory is limited: {@code system} bytes at the top, {@code stream} per stream. */
    static ConcreteLimitConfig.Builder limits(long system, long stream) {
        return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(memory(system))
                .stream(memory(stream));
    }

    static ResourceManager manager(ConcreteLimitConfig limits) {
        return ResourceManagerBuilder.create().limits(limits).collectInterval(null).build();
    }

    static ResourceManager manager(long system, long stream) {
        return manager(limits(system, stream).build());
    }

    static long memory(ResourceScope scope) {
        return scope.stat().memory();
    }

    static long systemMemory(ResourceManager manager) {
        return manager.viewSystem(Fixtures::memory);
    }

    /** Every live scope of the manager holds no memory. */
    static void assertNoMemoryAnywhere(ResourceManager manager) {
        for (ScopeSnapshot scope : manager.snapshot().scopes()) {
            assertEquals(0, scope.usage().memory(), () -> scope.path() + " still holds memory");
        }
    }

    /** The allocator's books are empty, and chronicle's own count is back where it was. */
    static void assertEmpty(OffHeap offHeap, long chronicleBaseline) {
        OffHeapStats stats = offHeap.stats();
        assertEquals(0, stats.liveBuffers(), stats::toString);
        assertEquals(0, stats.liveBytes(), stats::toString);
        assertEquals(0, stats.reservedBytes(), stats::toString);
        assertEquals(0, stats.nativeBytes(), stats::toString);
        assertEquals(0, stats.deferredBytes(), stats::toString);
        assertTrue(stats.balanced());
        assertEquals(chronicleBaseline, OffHeap.chronicleNativeMemoryUsed(), "chronicle's count of native memory");
    }

    /** The allocator holds exactly {@code bytes} in live buffers, reserved and native alike. */
    static void assertHolds(OffHeap offHeap, long buffers, long bytes, long chronicleBaseline) {
        OffHeapStats stats = offHeap.stats();
        assertEquals(new OffHeapStats(buffers, bytes, bytes, bytes, 0, stats.leakedBuffers()), stats);
        assertTrue(stats.balanced());
        assertEquals(chronicleBaseline + bytes, OffHeap.chronicleNativeMemoryUsed(),
                "chronicle's count of native memory");
    }

    /**
     * chronicle's count after warming it up: its first use allocates a page of its own (the empty
     * store's), which is not ours.
     */
    static long warmChronicleBaseline() {
        OffHeap warm = OffHeap.create();
        try (org.jrcmgr.ResourceManager m = manager(1 << 20, 1 << 20)) {
            m.viewSystem(system -> {
                try (NativeBuffer b = warm.allocate(system, 16, org.jrcmgr.ReservationPriority.ALWAYS)) {
                    b.bytes().writeLong(0, 1);
                    b.byteBuffer().putLong(8, 2);
                }
                try (NativeBuffer empty = warm.allocate(system, 0, org.jrcmgr.ReservationPriority.ALWAYS)) {
                    empty.bytes();
                }
                return null;
            });
        }
        return OffHeap.chronicleNativeMemoryUsed();
    }

    /**
     * Writes through the ByteBuffer view and reads through chronicle's, then the other way round,
     * over the whole buffer.
     */
    static void writeAndReadThroughBothViews(NativeBuffer buffer, long seed) {
        int size = (int) buffer.size();
        ByteBuffer bb = buffer.byteBuffer().order(ByteOrder.nativeOrder());
        assertTrue(bb.isDirect());
        assertEquals(size, bb.capacity());
        assertEquals(0, bb.position());
        assertEquals(size, bb.limit());
        for (int i = 0; i + 8 <= size; i += 8) {
            bb.putLong(i, seed + i);
        }
        var bytes = buffer.bytes();
        assertEquals(size, bytes.realCapacity());
        for (int i = 0; i + 8 <= size; i += 8) {
            assertEquals(seed + i, bytes.readLong(i), "offset " + i);
        }
        for (int i = 0; i < size; i++) {
            bytes.writeByte(i, (byte) (seed * 31 + i));
        }
        ByteBuffer again = buffer.byteBuffer();
        for (int i = 0; i < size; i++) {
            assertEquals((byte) (seed * 31 + i), again.get(i), "offset " + i);
        }
    }
}
