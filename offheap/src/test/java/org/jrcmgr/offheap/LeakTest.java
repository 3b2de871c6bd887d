package org.jrcmgr.offheap;

import static org.jrcmgr.ReservationPriority.HIGH;
import static org.jrcmgr.offheap.Fixtures.ENDPOINT;
import static org.jrcmgr.offheap.Fixtures.assertEmpty;
import static org.jrcmgr.offheap.Fixtures.assertNoMemoryAnywhere;
import static org.jrcmgr.offheap.Fixtures.memory;
import static org.jrcmgr.offheap.Fixtures.systemMemory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.StreamManagementScope;
import org.junit.jupiter.api.Test;

/**
 * A scope done while buffers in it are open: the buffers are reclaimed (memory freed, books back to
 * zero everywhere) and each is reported with the scope's path.
 */
class LeakTest extends Fixtures.ManagerAndAllocator {

    private final PeerId peer = PeerId.random();

    LeakTest() {
        super(1 << 20, 256 * 1024, true);
    }

    private StreamManagementScope stream() {
        return manager.openStream(peer, Direction.INBOUND);
    }

    /** What every reclaimed buffer must look like afterwards. */
    private void assertReclaimed(NativeBuffer buffer, String scopePath) {
        assertEquals(NativeBuffer.State.RECLAIMED, buffer.state());
        for (Runnable use : List.<Runnable>of(buffer::byteBuffer, buffer::bytes, buffer::scope, buffer::pin)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("reclaimed when " + scopePath + " was done"), e.getMessage());
        }
        buffer.close(); // a no-op: the scope took it back already
        buffer.close();
        assertEquals(NativeBuffer.State.RECLAIMED, buffer.state());
    }

    @Test
    void connDoneFreesAndReportsItsBuffers() {
        ConnManagementScope conn = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
        conn.setPeer(peer);
        NativeBuffer a = offHeap.allocate(conn, 4096, HIGH);
        NativeBuffer b = offHeap.allocate(conn, 1000, HIGH);
        Bytes<Void> bytes = a.bytes();
        String path = manager.snapshot().scope(conn.name()).orElseThrow().path();
        assertEquals("system > peer:" + peer + " > " + conn.name(), path);
        assertEquals(5096, systemMemory(manager));

        conn.done();
        assertEquals(2, leaks.size());
        for (LeakReport leak : leaks) {
            assertEquals(path, leak.scopePath());
            assertFalse(leak.freeDeferred());
            assertNull(leak.allocationSite(), "leak tracing is off");
        }
        assertEquals(List.of(1000L, 4096L), leaks.stream().map(LeakReport::size).sorted().toList());
        assertReclaimed(a, path);
        assertReclaimed(b, path);
        assertThrows(RuntimeException.class, () -> bytes.readLong(0), "chronicle's view was released");
        assertNoMemoryAnywhere(manager);
        assertEmpty(offHeap, chronicleBaseline);
        assertEquals(2, offHeap.stats().leakedBuffers());
    }

    @Test
    void streamDoneFreesAndReportsItsBuffers() {
        StreamManagementScope s = stream();
        s.setProtocol(ProtocolId.of("/chat/1.0.0"));
        s.setService("chat");
        NativeBuffer buffer = offHeap.allocate(s, 65_536, HIGH);
        buffer.byteBuffer().putLong(0, 1);
        String path = manager.snapshot().scope(s.name()).orElseThrow().path();
        assertEquals(65_536, memory(s.protocolScope().orElseThrow()));

        s.done();
        assertEquals(1, leaks.size());
        assertEquals(new LeakReport(65_536, path, false, null), leaks.get(0));
        assertReclaimed(buffer, path);
        assertEquals(0, memory(s.peerScope()));
        assertEquals(0, memory(s.protocolScope().orElseThrow()));
        assertEquals(0, memory(s.serviceScope().orElseThrow()));
        assertNoMemoryAnywhere(manager);
        assertEmpty(offHeap, chronicleBaseline);
    }

    @Test
    void spanDoneFreesItsBuffersAndLeavesTheStreams() {
        StreamManagementScope s = stream();
        NativeBuffer kept = offHeap.allocate(s, 2000, HIGH);
        ResourceScopeSpan span = s.beginSpan();
        NativeBuffer leaked = offHeap.allocate(span, 3000, HIGH);
        String spanPath = manager.snapshot().scope(s.name()).orElseThrow().path() + " > " + span.name();

        span.done();
        assertEquals(List.of(new LeakReport(3000, spanPath, false, null)), leaks);
        assertReclaimed(leaked, spanPath);
        assertEquals(NativeBuffer.State.OPEN, kept.state());
        assertEquals(2000, memory(s));
        assertEquals(2000, systemMemory(manager));
        Fixtures.assertHolds(offHeap, 1, 2000, chronicleBaseline);
        kept.close();
        s.done();
        assertEquals(1, leaks.size());
        assertNoMemoryAnywhere(manager);
        assertEmpty(offHeap, chronicleBaseline);
    }

    @Test
    void streamDoneFreesTheBuffersOfItsSpans() {
        StreamManagementScope s = stream();
        String streamPath = manager.snapshot().scope(s.name()).orElseThrow().path();
        ResourceScopeSpan span = s.beginSpan();
        ResourceScopeSpan inner = span.beginSpan();
        NativeBuffer inSpan = offHeap.allocate(span, 100, HIGH);
        NativeBuffer inInner = offHeap.allocate(inner, 200, HIGH);

        s.done();
        String spanPath = streamPath + " > " + span.name();
        String innerPath = spanPath + " > " + inner.name();
        assertEquals(2, leaks.size());
        assertTrue(leaks.contains(new LeakReport(100, spanPath, false, null)), leaks.toString());
        assertTrue(leaks.contains(new LeakReport(200, innerPath, false, null)), leaks.toString());
        assertReclaimed(inSpan, spanPath);
        assertReclaimed(inInner, innerPath);
        inner.done();
        span.done();
        assertEquals(2, leaks.size());
        assertNoMemoryAnywhere(manager);
        assertEmpty(offHeap, chronicleBaseline);
    }

    @Test
    void theWarningNamesTheScopePathAndSize() {
        ConnManagementScope conn = manager.openConnection(Direction.OUTBOUND, true, ENDPOINT);
        offHeap.allocate(conn, 4321, HIGH);
        String path = manager.snapshot().scope(conn.name()).orElseThrow().path();
        String log = stderrOf(conn::done);
        assertTrue(log.contains("WARN") && log.contains(OffHeap.class.getName()), log);
        assertTrue(log.contains("4321 bytes") && log.contains(path), log);
        assertTrue(log.contains("-D" + OffHeap.LEAK_TRACING_PROPERTY + "=true"), log);
    }

    @Test
    void leakTracingRecordsTheAllocationSite() {
        OffHeap tracing = OffHeap.builder().leakTracing(true).leakListener(leaks::add).build();
        assertTrue(tracing.leakTracing());
        StreamManagementScope s = stream();
        tracing.allocate(s, 512, HIGH);
        String log = stderrOf(s::done);

        assertEquals(1, leaks.size());
        Throwable site = leaks.get(0).allocationSite();
        assertNotNull(site);
        assertTrue(Arrays.stream(site.getStackTrace()).anyMatch(
                e -> e.getMethodName().equals("leakTracingRecordsTheAllocationSite")), stackTrace(site));
        assertTrue(log.contains("allocated here") && log.contains("leakTracingRecordsTheAllocationSite"), log);
        assertEmpty(tracing, chronicleBaseline);
    }

    @Test
    void leakTracingFollowsTheSystemPropertyByDefault() {
        String before = System.getProperty(OffHeap.LEAK_TRACING_PROPERTY);
        try {
            System.setProperty(OffHeap.LEAK_TRACING_PROPERTY, "true");
            assertTrue(OffHeap.create().leakTracing());
            System.setProperty(OffHeap.LEAK_TRACING_PROPERTY, "false");
            assertFalse(OffHeap.create().leakTracing());
        } finally {
            if (before == null) {
                System.clearProperty(OffHeap.LEAK_TRACING_PROPERTY);
            } else {
                System.setProperty(OffHeap.LEAK_TRACING_PROPERTY, before);
            }
        }
    }

    @Test
    void aFailingListenerDoesNotStopTheCleanUp() {
        OffHeap failing = OffHeap.builder().leakListener(report -> {
            throw new IllegalStateException("listener broken");
        }).build();
        StreamManagementScope s = stream();
        NativeBuffer a = failing.allocate(s, 10, HIGH);
        NativeBuffer b = failing.allocate(s, 20, HIGH);
        String log = stderrOf(s::done);
        assertTrue(log.contains("listener broken"), log);
        assertEquals(NativeBuffer.State.RECLAIMED, a.state());
        assertEquals(NativeBuffer.State.RECLAIMED, b.state());
        assertEquals(2, failing.stats().leakedBuffers());
        assertEmpty(failing, chronicleBaseline);
    }

    @Test
    void aBufferReclaimedWhilePinnedIsFreedWithItsLastPin() {
        StreamManagementScope s = stream();
        NativeBuffer buffer = offHeap.allocate(s, 4096, HIGH);
        buffer.byteBuffer().putInt(100, 77);
        NativeBuffer.Pin pin = buffer.pin();

        s.done();
        assertEquals(1, leaks.size());
        assertTrue(leaks.get(0).freeDeferred());
        assertEquals(NativeBuffer.State.RECLAIMED, buffer.state());
        assertEquals(77, pin.byteBuffer().getInt(100), "pinned memory survives the reclaim");
        assertEquals(new OffHeapStats(0, 0, 0, 4096, 4096, 1), offHeap.stats(),
                "no scope holds it any more; only the pin keeps it");
        assertNoMemoryAnywhere(manager);

        pin.close();
        assertEmpty(offHeap, chronicleBaseline);
        buffer.close();
    }

    @Test
    void aBufferClosedWhilePinnedAndThenReclaimedIsCountedOnce() {
        StreamManagementScope s = stream();
        NativeBuffer buffer = offHeap.allocate(s, 4096, HIGH);
        NativeBuffer.Pin pin = buffer.pin();
        buffer.close();
        assertEquals(4096, offHeap.stats().reservedBytes());

        s.done(); // takes back the reservation that the pin kept alive; not a leak: it was closed
        assertTrue(leaks.isEmpty());
        assertEquals(new OffHeapStats(0, 0, 0, 4096, 4096, 0), offHeap.stats());
        pin.close();
        assertEmpty(offHeap, chronicleBaseline);
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    @Test
    void aLeakReportNeedsAPath() {
        assertThrows(NullPointerException.class, () -> new LeakReport(1, null, false, null));
        LeakReport r = new LeakReport(1, "system", false, null);
        assertSame("system", r.scopePath());
    }
}
