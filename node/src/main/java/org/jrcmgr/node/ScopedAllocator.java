package org.jrcmgr.node;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.channels.ClosedChannelException;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.offheap.NativeBuffer;
import org.jrcmgr.offheap.OffHeap;

/**
 * The allocator of one connection's channel: the buffers Netty reads the socket into are native
 * buffers reserved in the connection's scope, so even bytes not yet decoded are accounted. A read
 * the scope refuses fails the read, and the connection is closed with
 * {@link ErrorCodes#CONN_RESOURCE_LIMIT_EXCEEDED}: go-libp2p's yamux likewise tears a session down
 * when its memory is refused.
 *
 * <p>Each read buffer lives only for the one {@code channelRead} that decodes it.
 */
final class ScopedAllocator extends AbstractByteBufAllocator {

    private final OffHeap offHeap;
    private final ScopeGate gate;
    private final ReservationPriority priority;

    ScopedAllocator(OffHeap offHeap, ScopeGate gate, ReservationPriority priority) {
        super(true);
        this.offHeap = offHeap;
        this.gate = gate;
        this.priority = priority;
    }

    // Netty picks heap buffers for reads when it believes direct ones cannot be freed reliably;
    // here every I/O buffer is a scoped native one, whatever Netty believes.
    @Override
    public ByteBuf ioBuffer() {
        return directBuffer();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return directBuffer(initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (!gate.enter()) {
            throw new IllegalStateException(new ClosedChannelException());
        }
        NativeBuffer buffer;
        try {
            buffer = offHeap.allocate(gate.scope(), initialCapacity, priority);
        } catch (RuntimeException | Error e) {
            gate.exit();
            throw e;
        }
        try {
            // A new buffer is empty: the socket read fills it from index 0.
            return new NativeByteBuf(this, buffer, gate).clear();
        } catch (RuntimeException | Error e) {
            buffer.close();
            gate.exit();
            throw e;
        }
    }

    /** Never used by the NIO transport; heap memory is the JVM's, outside any scope. */
    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return Unpooled.buffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
