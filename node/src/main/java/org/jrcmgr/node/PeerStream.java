package org.jrcmgr.node;

import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.Direction;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.StreamScope;
import org.jrcmgr.offheap.NativeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed stream of a {@link PeerConnection}, with its own scope: admitted by
 * {@code openStream} and attached to its protocol before its first byte is accepted; every byte it
 * receives or sends is a native buffer reserved in that scope; the scope is done once the stream
 * has ended and the last of its frames has left Netty.
 *
 * <p>{@link #write}, {@link #closeWrite} and {@link #reset} may be called from any thread; the
 * handler's callbacks all come from the connection's event loop.
 */
public final class PeerStream {

    private static final Logger LOG = LoggerFactory.getLogger(PeerStream.class);

    private final PeerConnection connection;
    private final int id;
    private final Direction direction;
    private final ProtocolId protocol;
    private final StreamManagementScope scope;
    private final ScopeGate gate;
    private final StreamHandler handler;
    private final CompletableFuture<PeerStream> accepted = new CompletableFuture<>();
    private final CompletableFuture<Reason> closed = new CompletableFuture<>();

    // Event-loop state.
    private boolean acked;
    private boolean localFin;
    private boolean remoteFin;
    private volatile boolean finished;

    PeerStream(PeerConnection connection, int id, Direction direction, ProtocolId protocol,
               StreamManagementScope scope, StreamHandler handler) {
        this.connection = connection;
        this.id = id;
        this.direction = direction;
        this.protocol = protocol;
        this.scope = scope;
        this.gate = new ScopeGate(scope);
        this.handler = handler;
    }

    /** The stream id on the wire. */
    public int id() {
        return id;
    }

    /** Who opened the stream. */
    public Direction direction() {
        return direction;
    }

    /** The protocol named in the SYN. */
    public ProtocolId protocol() {
        return protocol;
    }

    /** The connection carrying the stream. */
    public PeerConnection connection() {
        return connection;
    }

    /** The stream's scope: handlers claim their service and reserve memory through it. */
    public StreamScope scope() {
        return scope;
    }

    /**
     * Completes with this stream once the remote accepted it (for a stream this node opened) or once
     * the opener was told it is accepted (for a stream the remote opened); fails with a
     * {@link StreamResetException} naming the reason if it was refused.
     */
    public CompletableFuture<PeerStream> accepted() {
        return accepted;
    }

    /**
     * Completes once the stream is over and its scope released or about to be: with
     * {@link Reason#NORMAL_CLOSE} after both sides closed, with the reset's reason otherwise.
     */
    public CompletableFuture<Reason> closed() {
        return closed;
    }

    /** Whether the stream has not ended yet. */
    public boolean isOpen() {
        return !finished;
    }

    /**
     * A native buffer in this stream's scope, for data a handler holds on to (and must close,
     * at the latest in {@link StreamHandler#onClosed}).
     *
     * @throws ResourceLimitExceededException if the scope (or one above it) refuses
     */
    public NativeBuffer allocate(long size, ReservationPriority priority) {
        return connection.node().offHeap().allocate(scope, size, priority);
    }

    /** Runs {@code task} on the stream's event loop after {@code delay}; for protocols that wait. */
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    EventLoop eventLoop() {
        return connection.eventLoop();
    }

    // ---- writing ----------------------------------------------------------------------------

    /** Sends {@code data} (copied before this returns). */
    public CompletableFuture<Void> write(byte[] data) {
        return write(ByteBuffer.wrap(data));
    }

    /**
     * Sends the remaining bytes of {@code data}: they are copied, before this returns, into native
     * buffers reserved in the stream's scope (at the node's send priority), one per frame of at
     * most 64 KiB, which Netty writes to the socket as they are and which are freed once written.
     *
     * @return completes when the last frame is written to the socket; fails with the scope's
     *     {@link ResourceLimitExceededException} if the memory is refused (nothing is sent then), or
     *     with a {@link StreamResetException} if the stream can no longer be written
     */
    public CompletableFuture<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (!data.hasRemaining()) {
            return CompletableFuture.completedFuture(null);
        }
        List<NativeBuffer> frames = new ArrayList<>(1 + data.remaining() / Frame.MAX_DATA);
        ReservationPriority priority = connection.node().config().sendPriority();
        try {
            while (data.hasRemaining()) {
                int n = Math.min(Frame.MAX_DATA, data.remaining());
                if (!gate.enter()) {
                    throw new StreamResetException(Reason.of(ErrorCodes.NO_ERROR, Reason.CLOSED, "stream is closed"),
                            false);
                }
                NativeBuffer frame;
                try {
                    frame = connection.node().offHeap().allocate(scope, Frame.HEADER_BYTES + n, priority);
                } catch (RuntimeException e) {
                    gate.exit();
                    throw e;
                }
                frames.add(frame);
                ByteBuffer out = frame.byteBuffer();
                Frame.putHeader(out, Frame.DATA, id, n);
                int limit = data.limit();
                data.limit(data.position() + n);
                out.put(data);
                data.limit(limit);
            }
        } catch (ResourceLimitExceededException | ResourceScopeClosedException | StreamResetException e) {
            release(frames);
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        connection.execute(() -> connection.sendData(this, frames, done), () -> {
            release(frames);
            done.completeExceptionally(new StreamResetException(
                    Reason.of(ErrorCodes.STREAM_SHUTDOWN, Reason.SHUTDOWN, "node is shutting down"), false));
        });
        return done;
    }

    /** Frames that never reached Netty. */
    private void release(List<NativeBuffer> frames) {
        for (NativeBuffer frame : frames) {
            try {
                frame.close();
            } finally {
                gate.exit();
            }
        }
    }

    /** Half-closes the stream: sends FIN; the stream ends once the remote has sent its FIN too. */
    public void closeWrite() {
        connection.execute(this::closeWriteOnLoop, () -> { });
    }

    /** Aborts the stream, telling the remote {@code reason} (code and explanation) in an RST. */
    public void reset(Reason reason) {
        Objects.requireNonNull(reason, "reason");
        connection.execute(() -> resetOnLoop(reason), () -> { });
    }

    // ---- event-loop side ------------------------------------------------------------------------

    ScopeGate gate() {
        return gate;
    }

    StreamManagementScope managementScope() {
        return scope;
    }

    StreamHandler handler() {
        return handler;
    }

    boolean canWrite() {
        return !finished && !localFin;
    }

    boolean canReceive() {
        return !finished && !remoteFin;
    }

    private void closeWriteOnLoop() {
        if (finished || localFin) {
            return;
        }
        localFin = true;
        connection.sendControl(gate, Frame.FIN, id, new byte[0]);
        if (remoteFin) {
            finish(Reason.NORMAL_CLOSE);
        }
    }

    void resetOnLoop(Reason reason) {
        if (finished) {
            return;
        }
        connection.sendControl(gate, Frame.RST, id, reason.encode());
        if (acked) {
            // A stream refused before acceptance is counted as refused, not reset.
            connection.node().countersInternal().resetSent(reason);
        }
        notifyReset(reason);
        finish(reason);
    }

    /** The remote accepted a stream this node opened. */
    void onAck() {
        if (direction == Direction.OUTBOUND && !acked && !finished) {
            acked = true;
            accepted.complete(this);
        }
    }

    /** This node accepted a stream the remote opened (the ACK is on its way). */
    void markAccepted() {
        acked = true;
        accepted.complete(this);
    }

    void onData(NativeBuffer data) {
        if (!canReceive()) {
            data.close();
            return;
        }
        try {
            handler.onData(this, data);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    void onRemoteFin() {
        if (finished || remoteFin) {
            return;
        }
        remoteFin = true;
        try {
            handler.onRemoteClose(this);
        } catch (RuntimeException e) {
            handlerFailed(e);
            return;
        }
        if (localFin && !finished) {
            finish(Reason.NORMAL_CLOSE);
        }
    }

    void onRemoteReset(Reason reason) {
        if (finished) {
            return;
        }
        connection.node().countersInternal().resetReceived(reason);
        notifyReset(reason);
        finish(reason);
    }

    /** The connection ended under the stream: no frame can be sent any more. */
    void abort(Reason reason) {
        if (finished) {
            return;
        }
        notifyReset(reason);
        finish(reason);
    }

    void handlerFailed(RuntimeException e) {
        Reason reason;
        if (e instanceof ResourceLimitExceededException refused) {
            reason = Reason.refusal(refused, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED);
        } else {
            LOG.debug("stream {} of {}: handler failed", id, connection, e);
            reason = Reason.of(ErrorCodes.STREAM_PROTOCOL_VIOLATION, Reason.INTERNAL, String.valueOf(e));
        }
        resetOnLoop(reason);
    }

    private void notifyReset(Reason reason) {
        try {
            handler.onReset(this, reason);
        } catch (RuntimeException e) {
            LOG.debug("stream {}: handler failed on reset", id, e);
        }
    }

    private void finish(Reason reason) {
        finished = true;
        connection.streamFinished(this);
        if (!accepted.isDone()) {
            accepted.completeExceptionally(new StreamResetException(reason, true));
        }
        try {
            handler.onClosed(this);
        } catch (RuntimeException e) {
            LOG.debug("stream {}: handler failed on close", id, e);
        }
        gate.close();
        closed.complete(reason);
    }

    /** The reason as an exception, for futures that fail with it. */
    StreamResetException failure(Reason reason) {
        return new StreamResetException(reason, !acked);
    }

    @Override
    public String toString() {
        return "stream " + id + " " + direction.name().toLowerCase(java.util.Locale.ROOT) + " " + protocol.value()
                + " on " + connection;
    }
}
