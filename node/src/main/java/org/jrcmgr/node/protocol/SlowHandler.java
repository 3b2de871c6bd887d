package org.jrcmgr.node.protocol;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.jrcmgr.node.ErrorCodes;
import org.jrcmgr.node.PeerStream;
import org.jrcmgr.node.Reason;
import org.jrcmgr.node.StreamHandler;
import org.jrcmgr.offheap.NativeBuffer;

/**
 * Serves {@code /slow/1.0.0}: the request is a u32 of milliseconds; the stream is held open that
 * long (bounded by the node's {@code slowMaxHold}), then one byte is sent back and the stream
 * closed. Holding streams is what fills stream limits.
 */
final class SlowHandler implements StreamHandler {

    private final Duration maxHold;
    private final byte[] request = new byte[4];
    private int filled;
    private ScheduledFuture<?> timer;

    SlowHandler(Duration maxHold) {
        this.maxHold = maxHold;
    }

    @Override
    public void onAdmit(PeerStream stream) {
        stream.scope().setService(Protocols.SLOW_SERVICE);
    }

    @Override
    public void onData(PeerStream stream, NativeBuffer data) {
        try {
            ByteBuffer in = data.byteBuffer();
            if (filled + in.remaining() > request.length) {
                stream.reset(Reason.of(ErrorCodes.STREAM_PROTOCOL_VIOLATION, Reason.VIOLATION,
                        "a slow request is 4 bytes"));
                return;
            }
            int n = in.remaining();
            in.get(request, filled, n);
            filled += n;
        } finally {
            data.close();
        }
        if (filled == request.length) {
            long millis = Integer.toUnsignedLong(ByteBuffer.wrap(request).getInt());
            Duration hold = Duration.ofMillis(Math.min(millis, maxHold.toMillis()));
            timer = stream.schedule(() -> {
                if (stream.isOpen()) {
                    stream.write(new byte[] {1});
                    stream.closeWrite();
                }
            }, hold);
        }
    }

    @Override
    public void onClosed(PeerStream stream) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
