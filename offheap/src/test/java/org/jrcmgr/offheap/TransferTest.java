package org.jrcmgr.offheap;

import static org.jrcmgr.ReservationPriority.ALWAYS;
import static org.jrcmgr.ReservationPriority.HIGH;
import static org.jrcmgr.offheap.Fixtures.assertEmpty;
import static org.jrcmgr.offheap.Fixtures.assertHolds;
import static org.jrcmgr.offheap.Fixtures.assertNoMemoryAnywhere;
import static org.jrcmgr.offheap.Fixtures.memory;
import static org.jrcmgr.offheap.Fixtures.systemMemory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import net.openhft.chronicle.bytes.Bytes;
import org.jrcmgr.Direction;
import org.jrcmgr.PeerId;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.StreamManagementScope;
import org.junit.jupiter.api.Test;

/** Moving a buffer's bytes to another scope: no copy, the target's limits first, clean refusals. */
class TransferTest extends Fixtures.ManagerAndAllocator {

    private static final long STREAM = 64 * 1024;

    private final PeerId peerA = PeerId.random();
    private final PeerId peerB = PeerId.random();

    TransferTest() {
        super(1 << 20, STREAM, true);
    }

    @Test
    void streamToSpanKeepsTheMemory() {
        StreamManagementScope s = manager.openStream(peerA, Direction.INBOUND);
        NativeBuffer buffer = offHeap.allocate(s, 4096, HIGH);
        ByteBuffer before = buffer.byteBuffer();
        before.putLong(0, 0xCAFEL);
        Bytes<Void> bytes = buffer.bytes();
        ResourceScopeSpan span = s.beginSpan();

        buffer.transferTo(span, HIGH);
        assertSame(span, buffer.scope());
        assertEquals(4096, memory(span));
        assertEquals(4096, memory(s), "the span's bytes count in its stream");
        assertEquals(4096, systemMemory(manager));
        assertEquals(0xCAFEL, buffer.byteBuffer().getLong(0), "not copied");
        assertSame(bytes, buffer.bytes(), "the same memory, the same view");
        before.putLong(8, 0xBEEFL);
        assertEquals(0xBEEFL, buffer.byteBuffer().getLong(8));
        assertHolds(offHeap, 1, 4096, chronicleBaseline);

        span.done(); // now the span holds it: it is the span's leak
        assertEquals(1, leaks.size());
        assertTrue(leaks.get(0).scopePath().endsWith(s.name() + " > " + span.name()), leaks.toString());
        assertEquals(NativeBuffer.State.RECLAIMED, buffer.state());
        assertEquals(0, memory(s));
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
        assertNoMemoryAnywhere(manager);
    }

    @Test
    void streamToStreamOfAnotherPeer() {
        StreamManagementScope s = manager.openStream(peerA, Direction.INBOUND);
        StreamManagementScope t = manager.openStream(peerB, Direction.OUTBOUND);
        try (NativeBuffer buffer = offHeap.allocate(s, 10_000, HIGH)) {
            buffer.transferTo(t, HIGH);
            assertEquals(0, memory(s));
            assertEquals(0, memory(s.peerScope()));
            assertEquals(10_000, memory(t));
            assertEquals(10_000, memory(t.peerScope()));
            assertEquals(10_000, systemMemory(manager));
            s.done();
            assertEquals(NativeBuffer.State.OPEN, buffer.state(), "it left the stream before the stream was done");
        }
        assertEquals(0, memory(t));
        assertEmpty(offHeap, chronicleBaseline);
        t.done();
        assertNoMemoryAnywhere(manager);
    }

    @Test
    void aFullTargetRefusesAndNothingChanges() {
        StreamManagementScope s = manager.openStream(peerA, Direction.INBOUND);
        StreamManagementScope t = manager.openStream(peerB, Direction.INBOUND);
        NativeBuffer moving = offHeap.allocate(s, 40_000, ALWAYS);
        NativeBuffer filler = offHeap.allocate(t, 30_000, ALWAYS);

        ResourceLimitExceededException e = assertThrows(ResourceLimitExceededException.class,
                () -> moving.transferTo(t, ALWAYS));
        assertEquals(t.name(), e.refusingScope());
        assertSame(s, moving.scope());
        assertEquals(NativeBuffer.State.OPEN, moving.state());
        assertEquals(40_000, memory(s));
        assertEquals(30_000, memory(t));
        assertEquals(70_000, systemMemory(manager));
        assertHolds(offHeap, 2, 70_000, chronicleBaseline);

        // the same at a priority that admits less: refused even though ALWAYS would also refuse
        assertThrows(ResourceLimitExceededException.class, () -> moving.transferTo(t, HIGH));
        filler.close();
        moving.transferTo(t, ALWAYS);
        assertEquals(0, memory(s));
        assertEquals(40_000, memory(t));
        moving.close();
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
        t.done();
        assertNoMemoryAnywhere(manager);
    }

    @Test
    void aFreedOrReclaimedBufferCannotMove() {
        StreamManagementScope s = manager.openStream(peerA, Direction.INBOUND);
        StreamManagementScope t = manager.openStream(peerB, Direction.INBOUND);
        NativeBuffer closed = offHeap.allocate(s, 100, HIGH);
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.transferTo(t, HIGH));
        assertTrue(e.getMessage().contains("transfer") && e.getMessage().contains("closed"), e.getMessage());

        NativeBuffer reclaimed = offHeap.allocate(s, 200, HIGH);
        s.done();
        e = assertThrows(IllegalStateException.class, () -> reclaimed.transferTo(t, HIGH));
        assertTrue(e.getMessage().contains("reclaimed"), e.getMessage());
        assertEquals(0, memory(t));
        assertNoMemoryAnywhere(manager);
        assertEmpty(offHeap, chronicleBaseline);
        t.done();
    }

    @Test
    void aDoneTargetOrAnotherManagerRefuses() {
        StreamManagementScope s = manager.openStream(peerA, Direction.INBOUND);
        StreamManagementScope done = manager.openStream(peerB, Direction.INBOUND);
        done.done();
        try (ResourceManager other = Fixtures.manager(1 << 20, STREAM);
             NativeBuffer buffer = offHeap.allocate(s, 300, HIGH)) {
            assertThrows(ResourceScopeClosedException.class, () -> buffer.transferTo(done, HIGH));
            StreamManagementScope foreign = other.openStream(peerA, Direction.INBOUND);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> buffer.transferTo(foreign, HIGH));
            assertTrue(e.getMessage().contains("another resource manager"), e.getMessage());
            assertThrows(NullPointerException.class, () -> buffer.transferTo(null, HIGH));
            assertThrows(NullPointerException.class, () -> buffer.transferTo(foreign, null));
            assertSame(s, buffer.scope());
            assertEquals(300, memory(s));
            assertEquals(0, memory(foreign));
            Fixtures.writeAndReadThroughBothViews(buffer, 3);
            foreign.done();
        }
        assertEmpty(offHeap, chronicleBaseline);
        s.done();
        assertNoMemoryAnywhere(manager);
    }
}
