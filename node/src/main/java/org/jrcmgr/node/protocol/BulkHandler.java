package org.jrcmgr.node.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.node.PeerStream;
import org.jrcmgr.node.StreamHandler;
import org.jrcmgr.offheap.NativeBuffer;

/**
 * Serves {@code /bulk/1.0.0}: the first byte names a reservation priority (0..255), the rest is
 * kept, until the sender's FIN, in 256 KiB native buffers reserved in the stream's scope at that
 * priority; then the reply (the total as a u64 and the number of chunks as a u32) and FIN. A chunk
 * the scopes refuse resets the stream with {@code 0x1002} and the refusal: the memory limits of
 * the stream, the peer, the protocol, the service and the system all show here.
 */
final class BulkHandler implements StreamHandler {

    /** The receiver's buffer size. */
    static final int CHUNK = 256 * 1024;

    private final List<NativeBuffer> chunks = new ArrayList<>();
    private ReservationPriority priority;
    private ByteBuffer current;
    private long total;

    @Override
    public void onAdmit(PeerStream stream) {
        stream.scope().setService(Protocols.BULK_SERVICE);
    }

    @Override
    public void onData(PeerStream stream, NativeBuffer data) {
        try {
            ByteBuffer in = data.byteBuffer();
            if (priority == null) {
                priority = ReservationPriority.of(Byte.toUnsignedInt(in.get()));
            }
            while (in.hasRemaining()) {
                if (current == null || !current.hasRemaining()) {
                    // A refusal propagates: the stream is reset with the refusing scope named.
                    NativeBuffer chunk = stream.allocate(CHUNK, priority);
                    chunks.add(chunk);
                    current = chunk.byteBuffer();
                }
                int n = Math.min(in.remaining(), current.remaining());
                int limit = in.limit();
                in.limit(in.position() + n);
                current.put(in);
                in.limit(limit);
                total += n;
            }
        } finally {
            data.close();
        }
    }

    @Override
    public void onRemoteClose(PeerStream stream) {
        ByteBuffer reply = ByteBuffer.allocate(12).putLong(total).putInt(chunks.size());
        stream.write(reply.flip());
        stream.closeWrite();
    }

    @Override
    public void onClosed(PeerStream stream) {
        current = null;
        for (NativeBuffer chunk : chunks) {
            chunk.close();
        }
        chunks.clear();
    }
}
