package org.jrcmgr.node;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import org.jrcmgr.offheap.NativeBuffer;

/**
 * A Netty buffer over a {@link NativeBuffer}: the bytes Netty reads into or writes from are the
 * bytes reserved in a scope, without a copy, and releasing the Netty buffer closes the native one
 * (giving the reservation back).
 *
 * <p>It holds a pin for as long as Netty holds it, so that the memory outlives even an early
 * reclaim of its scope; and it holds its owner's {@link ScopeGate}, so that the scope is not done
 * while Netty still has the buffer. Its capacity is fixed: a frame never grows.
 */
final class NativeByteBuf extends UnpooledDirectByteBuf {

    private final NativeBuffer buffer;
    private final NativeBuffer.Pin pin;
    private final ScopeGate gate;

    /**
     * Wraps {@code buffer}, whose owner entered {@code gate} for it; from now on this Netty buffer
     * owns both.
     */
    NativeByteBuf(ByteBufAllocator alloc, NativeBuffer buffer, ScopeGate gate) {
        super(alloc, buffer.byteBuffer(), (int) buffer.size());
        this.buffer = buffer;
        this.pin = buffer.pin();
        this.gate = gate;
    }

    @Override
    protected void deallocate() {
        super.deallocate(); // drops the view; frees nothing (the JDK did not allocate it)
        try {
            buffer.close();
        } finally {
            try {
                pin.close();
            } finally {
                gate.exit();
            }
        }
    }
}
