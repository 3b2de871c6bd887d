package org.jrcmgr.example.offheap;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import net.openhft.chronicle.bytes.Bytes;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceManagers;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.offheap.NativeBuffer;
import org.jrcmgr.offheap.OffHeap;

/**
 * Native buffers whose allocation is a reservation in a scope: allocated in a stream, moved to the
 * connection, leaked in a span, pinned while the span is done, and refused. Every step prints what
 * the scopes and the allocator's books hold.
 */
public final class Main {

    private static final PeerId PEER = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");

    private Main() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        out.println("org.jrcmgr.offheap is " + where(OffHeap.class));
        out.println("chronicle-bytes is " + where(Bytes.class));
        // tag::offheap-allocator[]
        OffHeap offHeap = OffHeap.builder()
                .leakListener(leak -> out.println("leak: " + leak.size() + " bytes in " + leak.scopePath()
                        + (leak.freeDeferred() ? ", freed when the last pin is closed" : ", already freed")))
                .build();
        // end::offheap-allocator[]
        try (ResourceManager rcmgr = ResourceManagers.create();
             ConnManagementScope conn = rcmgr.openConnection(Direction.INBOUND, true,
                     Multiaddr.parse("/ip4/192.0.2.7/tcp/4001"))) {
            conn.setPeer(PEER);
            NativeBuffer message;
            try (StreamManagementScope stream = rcmgr.openStream(PEER, Direction.INBOUND)) {
                stream.setProtocol(ProtocolId.of("/echo/1.0.0"));
                out.println();
                out.println("== allocate in a stream");
                // tag::offheap-allocate[]
                try (NativeBuffer frame = offHeap.allocate(stream, 64 * 1024, ReservationPriority.HIGH)) {
                    frame.byteBuffer().putLong(0, 42);  // a new direct ByteBuffer view, big-endian
                    frame.bytes().writeLong(8, 43);      // chronicle's Bytes view, native byte order
                    out.println("stream holds " + memory(stream) + ", connection " + memory(conn)
                            + ", system " + memory(rcmgr));
                } // freed, and the 64 KiB given back to the stream and every scope above it
                out.println("after close: stream holds " + memory(stream) + ", system " + memory(rcmgr));
                // end::offheap-allocate[]

                out.println();
                out.println("== transfer to the connection");
                // tag::offheap-transfer[]
                message = offHeap.allocate(stream, 4096, ReservationPriority.HIGH);
                // The message outlives the stream: the connection takes it over, without a copy.
                // The bytes are reserved in the connection first; a refusal there changes nothing.
                message.transferTo(conn, ReservationPriority.HIGH);
                // end::offheap-transfer[]
                out.println(message + ": stream holds " + memory(stream) + ", connection " + memory(conn));
            }
            out.println("stream done, " + message + " still open: connection holds " + memory(conn));
            message.close();

            out.println();
            out.println("== a leak");
            try (StreamManagementScope stream = rcmgr.openStream(PEER, Direction.INBOUND)) {
                // tag::offheap-leak[]
                try (ResourceScopeSpan request = stream.beginSpan()) {
                    NativeBuffer forgotten = offHeap.allocate(request, 8192, ReservationPriority.HIGH);
                    forgotten.bytes().writeLong(0, 1);
                } // the span is done with the buffer still open: freed, given back and reported
                // end::offheap-leak[]
                out.println("stream holds " + memory(stream) + "; " + offHeap.stats());

                out.println();
                out.println("== a pin across the end of its scope");
                // tag::offheap-pin[]
                ResourceScopeSpan request = stream.beginSpan();
                NativeBuffer buffer = offHeap.allocate(request, 4096, ReservationPriority.HIGH);
                try (NativeBuffer.Pin pin = buffer.pin()) {
                    ByteBuffer view = pin.byteBuffer();
                    request.done(); // say, another thread ends the request: the buffer is reclaimed...
                    view.putInt(0, 7); // ...but its memory stays allocated while the pin is open
                    out.println(buffer.state() + ", deferred " + offHeap.stats().deferredBytes() + " bytes");
                } // the last pin is closed: now the memory is freed
                out.println("pin closed, deferred " + offHeap.stats().deferredBytes() + " bytes");
                // end::offheap-pin[]

                out.println();
                out.println("== a refusal");
                try (NativeBuffer huge = offHeap.allocate(stream, 32 << 20, ReservationPriority.HIGH)) {
                    out.println("allocated " + huge);
                } catch (ResourceLimitExceededException refused) {
                    out.println(refused.getMessage());
                    out.println("nothing allocated: " + offHeap.stats());
                }
            }
        }
        out.println();
        out.println((offHeap.stats().balanced() ? "balanced: " : "NOT balanced: ") + offHeap.stats());
    }

    private static long memory(ResourceScope scope) {
        return scope.stat().memory();
    }

    private static long memory(ResourceManager rcmgr) {
        return rcmgr.viewSystem(Main::memory);
    }

    private static String where(Class<?> type) {
        Module module = type.getModule();
        if (!module.isNamed()) {
            return "on the class path";
        }
        return (module.getDescriptor().isAutomatic() ? "in the automatic module " : "in module ") + module.getName();
    }
}
