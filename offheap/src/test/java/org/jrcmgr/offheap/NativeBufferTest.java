package org.jrcmgr.offheap;

import static org.jrcmgr.ReservationPriority.ALWAYS;
import static org.jrcmgr.ReservationPriority.HIGH;
import static org.jrcmgr.offheap.Fixtures.ENDPOINT;
import static org.jrcmgr.offheap.Fixtures.assertEmpty;
import static org.jrcmgr.offheap.Fixtures.assertHolds;
import static org.jrcmgr.offheap.Fixtures.assertNoMemoryAnywhere;
import static org.jrcmgr.offheap.Fixtures.memory;
import static org.jrcmgr.offheap.Fixtures.systemMemory;
import static org.jrcmgr.offheap.Fixtures.writeAndReadThroughBothViews;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.StreamManagementScope;
import org.junit.jupiter.api.Test;

/** Allocation, use and release of buffers in every kind of scope; misuse and its clear errors. */
class NativeBufferTest extends Fixtures.ManagerAndAllocator {

    private static final long SYSTEM = 1 << 20;
    private static final long STREAM = 256 * 1024;

    private final PeerId peer = PeerId.random();

    NativeBufferTest() {
        super(SYSTEM, STREAM, false);
    }

    private StreamManagementScope stream() {
        StreamManagementScope s = manager.openStream(peer, Direction.INBOUND);
        s.setProtocol(ProtocolId.of("/echo/1.0.0"));
        s.setService("echo");
        return s;
    }

    /** Allocates, checks that the scope and the system hold it, uses both views, closes, checks nothing is left. */
    private void roundTrip(ResourceScope scope, long size) {
        long before = memory(scope);
        NativeBuffer buffer = offHeap.allocate(scope, size, HIGH);
        assertEquals(NativeBuffer.State.OPEN, buffer.state());
        assertSame(scope, buffer.scope());
        assertEquals(size, buffer.size());
        assertEquals(before + size, memory(scope));
        assertEquals(size, systemMemory(manager));
        assertHolds(offHeap, 1, size, chronicleBaseline);

        writeAndReadThroughBothViews(buffer, size);

        buffer.close();
        assertEquals(NativeBuffer.State.CLOSED, buffer.state());
        assertEquals(before, memory(scope));
        assertEquals(0, systemMemory(manager));
        assertEmpty(offHeap, chronicleBaseline);
    }

    @Test
    void everyScopeKindAllocatesAndFrees() {
        manager.viewSystem(s -> {
            roundTrip(s, 4096);
            return null;
        });
        manager.viewTransient(s -> {
            roundTrip(s, 4096);
            return null;
        });
        manager.viewService("echo", s -> {
            roundTrip(s, 8192);
            return null;
        });
        manager.viewProtocol(ProtocolId.of("/echo/1.0.0"), s -> {
            roundTrip(s, 12_345);
            return null;
        });
        manager.viewPeer(peer, s -> {
            roundTrip(s, 1);
            return null;
        });

        ConnManagementScope conn = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
        roundTrip(conn, 4096);
        conn.setPeer(peer);
        roundTrip(conn, 4096);
        conn.done();

        StreamManagementScope s = stream();
        roundTrip(s, 65_536);
        try (ResourceScopeSpan span = s.beginSpan()) {
            roundTrip(span, 4096);
            try (ResourceScopeSpan inner = span.beginSpan()) {
                roundTrip(inner, 100);
            }
        }
        s.done();
        assertNoMemoryAnywhere(manager);
    }

    @Test
    void aBufferInAStreamCountsInEveryScopeAboveIt() {
        StreamManagementScope s = stream();
        try (NativeBuffer buffer = offHeap.allocate(s, 10_000, HIGH)) {
            assertEquals(10_000, memory(s));
            assertEquals(10_000, memory(s.peerScope()));
            assertEquals(10_000, memory(s.protocolScope().orElseThrow()));
            assertEquals(10_000, memory(s.serviceScope().orElseThrow()));
            assertEquals(10_000, systemMemory(manager));
            assertEquals(10_000, buffer.size());
        }
        assertNoMemoryAnywhere(manager);
        s.done();
    }

    @Test
    void viewsShareTheMemoryNotTheirPositions() {
        StreamManagementScope s = stream();
        try (NativeBuffer buffer = offHeap.allocate(s, 4096, HIGH)) {
            ByteBuffer a = buffer.byteBuffer();
            ByteBuffer b = buffer.byteBuffer();
            assertNotSame(a, b);
            a.put((byte) 7).put((byte) 8);
            assertEquals(2, a.position());
            assertEquals(0, b.position());
            assertEquals(7, b.get());
            assertEquals(8, b.get());
            ByteBuffer slice = a.slice();
            slice.put(0, (byte) 9);
            assertEquals(9, buffer.byteBuffer().get(2));

            Bytes<Void> bytes = buffer.bytes();
            assertSame(bytes, buffer.bytes(), "one Bytes per buffer");
            assertEquals(0, bytes.writePosition());
            assertEquals(4096, bytes.writeLimit());
            bytes.writeLong(0x0102030405060708L);
            assertEquals(0x0102030405060708L, bytes.readLong());
            assertEquals(4096, bytes.realCapacity());
            assertThrows(RuntimeException.class, () -> bytes.writeLong(4092, 1L), "the Bytes cannot reach past the buffer");
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.byteBuffer().get(4096));
        }
        s.done();
    }

    @Test
    void zeroByteBuffersAreValid() {
        StreamManagementScope s = stream();
        NativeBuffer empty = offHeap.allocate(s, 0, HIGH);
        assertEquals(0, empty.byteBuffer().capacity());
        assertEquals(0, empty.bytes().realCapacity());
        assertHolds(offHeap, 1, 0, chronicleBaseline);
        empty.close();
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
    }

    @Test
    void zeroOnAllocateZeroes() {
        OffHeap zeroing = OffHeap.builder().zeroOnAllocate(true).build();
        assertTrue(zeroing.zeroOnAllocate());
        assertFalse(offHeap.zeroOnAllocate());
        StreamManagementScope s = stream();
        for (int round = 0; round < 20; round++) {
            // dirty a block of the same size first, so that the zeroed one is likely the same memory
            try (NativeBuffer dirty = offHeap.allocate(s, 8192, HIGH)) {
                ByteBuffer bb = dirty.byteBuffer();
                while (bb.hasRemaining()) {
                    bb.put((byte) 0xFF);
                }
            }
            try (NativeBuffer clean = zeroing.allocate(s, 8192, HIGH)) {
                ByteBuffer bb = clean.byteBuffer();
                while (bb.hasRemaining()) {
                    assertEquals(0, bb.get());
                }
            }
        }
        s.done();
    }

    // ---- misuse ----------------------------------------------------------------------------------

    @Test
    void closingTwiceThrowsAndChangesNothing() {
        StreamManagementScope s = stream();
        NativeBuffer other = offHeap.allocate(s, 1000, HIGH);
        NativeBuffer buffer = offHeap.allocate(s, 4096, HIGH);
        buffer.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, buffer::close);
        assertTrue(e.getMessage().contains("4096 bytes") && e.getMessage().contains(s.name())
                && e.getMessage().contains("already closed"), e.getMessage());
        assertEquals(1000, memory(s));
        assertEquals(1000, systemMemory(manager));
        assertHolds(offHeap, 1, 1000, chronicleBaseline);
        other.close();
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
    }

    @Test
    void everyAccessorRefusesAfterClose() {
        StreamManagementScope s = stream();
        StreamManagementScope t = stream();
        NativeBuffer buffer = offHeap.allocate(s, 4096, HIGH);
        Bytes<Void> bytes = buffer.bytes();
        bytes.writeLong(0, 42);
        buffer.close();

        List<Runnable> uses = List.of(buffer::byteBuffer, buffer::bytes, buffer::scope, buffer::pin,
                () -> buffer.transferTo(t, HIGH));
        for (Runnable use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("4096 bytes in " + s.name()) && e.getMessage().contains("closed"),
                    e.getMessage());
        }
        assertEquals(4096, buffer.size(), "the size answers in every state");
        assertEquals(NativeBuffer.State.CLOSED, buffer.state());
        assertTrue(buffer.toString().contains("CLOSED"), buffer.toString());

        // chronicle's Bytes was released before the memory was freed: it fails instead of touching it
        assertThrows(RuntimeException.class, () -> bytes.readLong(0));
        assertThrows(RuntimeException.class, () -> bytes.writeLong(0, 1));
        assertEquals(0, memory(t));
        assertEquals(0, systemMemory(manager));
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
        t.done();
    }

    @Test
    void negativeAndAbsurdSizesAreArgumentErrors() {
        StreamManagementScope s = stream();
        for (long size : new long[] {-1, Long.MIN_VALUE, OffHeap.MAX_BUFFER_SIZE + 1, Long.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> offHeap.allocate(s, size, ALWAYS));
            assertTrue(e.getMessage().contains(Long.toString(size)), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> offHeap.allocate(null, 1, ALWAYS));
        assertThrows(NullPointerException.class, () -> offHeap.allocate(s, 1, null));
        assertEquals(0, memory(s));
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
    }

    @Test
    void aBufferLargerThanTheWholeBudgetIsRefusedForGood() {
        manager.viewSystem(system -> {
            ResourceLimitExceededException e = assertThrows(ResourceLimitExceededException.class,
                    () -> offHeap.allocate(system, SYSTEM + 1, ALWAYS));
            assertFalse(e.retryable(), "no amount of waiting makes it fit");
            assertEquals("system", e.refusingScope());
            return null;
        });
        assertNoMemoryAnywhere(manager);
        assertEmpty(offHeap, chronicleBaseline);
    }

    @Test
    void aDoneScopeAllocatesNothing() {
        StreamManagementScope s = stream();
        s.done();
        assertThrows(org.jrcmgr.ResourceScopeClosedException.class, () -> offHeap.allocate(s, 10, ALWAYS));
        assertEmpty(offHeap, chronicleBaseline);
    }

    @Test
    void aFailedNativeAllocationGivesTheReservationBack() {
        OffHeap failing = OffHeap.builder().nativeMemory(new OffHeap.NativeMemory() {
            @Override
            public long allocate(long size) {
                throw new OutOfMemoryError("test: no native memory for " + size + " bytes");
            }

            @Override
            public void free(long address, long size) {
                throw new AssertionError("nothing was allocated");
            }
        }).build();
        StreamManagementScope s = stream();
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> failing.allocate(s, 4096, HIGH));
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
        assertEquals(0, memory(s));
        assertNoMemoryAnywhere(manager);
        assertEmpty(failing, chronicleBaseline);
        s.done();
    }

    @Test
    void aScopeDoneDuringTheAllocationGetsNothing() {
        StreamManagementScope s = stream();
        List<LeakReport> leaks = new ArrayList<>();
        OffHeap racing = OffHeap.builder().leakListener(leaks::add).nativeMemory(new OffHeap.NativeMemory() {
            @Override
            public long allocate(long size) {
                s.done(); // reclaims the reservation just made, before the memory exists
                return OffHeap.NativeMemory.CHRONICLE.allocate(size);
            }

            @Override
            public void free(long address, long size) {
                OffHeap.NativeMemory.CHRONICLE.free(address, size);
            }
        }).build();
        assertThrows(org.jrcmgr.ResourceScopeClosedException.class, () -> racing.allocate(s, 4096, HIGH));
        assertTrue(leaks.isEmpty(), "never handed out, so never leaked");
        assertNoMemoryAnywhere(manager);
        assertEmpty(racing, chronicleBaseline);
    }

    // ---- pins --------------------------------------------------------------------------------------

    @Test
    void aPinDefersTheFreeAndKeepsTheReservation() {
        StreamManagementScope s = stream();
        NativeBuffer buffer = offHeap.allocate(s, 4096, HIGH);
        buffer.byteBuffer().putInt(0, 1234);
        NativeBuffer.Pin pin = buffer.pin();
        assertSame(buffer, pin.buffer());
        buffer.close();

        assertEquals(NativeBuffer.State.CLOSED, buffer.state());
        assertThrows(IllegalStateException.class, buffer::byteBuffer);
        assertEquals(1234, pin.byteBuffer().getInt(0), "the pinned memory is still there");
        pin.bytes().writeInt(4, 5678);
        assertEquals(5678, pin.byteBuffer().order(java.nio.ByteOrder.nativeOrder()).getInt(4));
        assertEquals(4096, memory(s), "the scope still counts memory that still exists");
        assertEquals(new OffHeapStats(0, 0, 4096, 4096, 4096, 0), offHeap.stats());
        assertFalse(offHeap.stats().balanced());

        pin.close();
        assertThrows(IllegalStateException.class, pin::byteBuffer);
        assertThrows(IllegalStateException.class, pin::close);
        assertEquals(0, memory(s));
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
    }

    @Test
    void pinsAreCountedAndTheLastOneFrees() {
        StreamManagementScope s = stream();
        NativeBuffer buffer = offHeap.allocate(s, 512, HIGH);
        List<NativeBuffer.Pin> pins = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pins.add(buffer.pin());
        }
        pins.remove(0).close(); // a pin closed while the buffer is open changes nothing
        assertHolds(offHeap, 1, 512, chronicleBaseline);
        buffer.close();
        for (NativeBuffer.Pin pin : pins) {
            assertEquals(512, offHeap.stats().nativeBytes());
            pin.close();
        }
        assertEmpty(offHeap, chronicleBaseline);
        assertEquals(0, memory(s));
        s.done();
    }
}
