package org.jrcmgr.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.offheap.NativeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a peer: the handshake, the stream multiplexer and its scope, following
 * go-libp2p's discipline (its section 9): the connection was admitted by {@code openConnection}
 * before any work was done for it, it is moved to its peer by {@code setPeer} as soon as the
 * handshake names the peer, and every stream is admitted by {@code openStream} and attached to its
 * protocol before it is accepted. Refusals travel to the other side as a CLOSE or RST carrying the
 * error code and the {@link Reason}.
 *
 * <p>Everything the connection holds is drawn from its scope or its streams' scopes: Netty's read
 * buffers (through {@link ScopedAllocator}), the frames it decodes, the frames it writes. When the
 * connection ends, for whatever reason (a close, a refusal, a peer killed mid-stream), every stream
 * is ended, every buffer freed and every scope done.
 *
 * <p>All state lives on the channel's event loop; the public methods may be called from any thread.
 */
public final class PeerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    private final Node node;
    private final Channel channel;
    private final Direction direction;
    private final Multiaddr remoteAddress;
    private final ConnManagementScope scope;
    private final ScopeGate gate;
    private final CompletableFuture<PeerConnection> established = new CompletableFuture<>();
    private final CompletableFuture<Reason> closed = new CompletableFuture<>();
    private final Handler handler = new Handler();

    // Event-loop state.
    private final Map<Integer, PeerStream> streams = new HashMap<>();
    private volatile PeerId remotePeer;
    private volatile int streamCount;
    private boolean localReady;
    private boolean remoteReady;
    private boolean closing;
    private boolean tornDown;
    private boolean wasActive;
    private Reason closeReason;
    private int nextStreamId;
    private ScheduledFuture<?> handshakeTimer;

    // Decoder state: a frame header being read, then its payload being copied or skipped.
    private final byte[] header = new byte[Frame.HEADER_BYTES];
    private int headerFill;
    private boolean inBody;
    private int bodyType;
    private int bodyStreamId;
    private int bodyRemaining;
    private NativeBuffer body;
    private ByteBuffer bodyView;
    private ScopeGate bodyGate;
    private PeerStream bodyStream;

    PeerConnection(Node node, Channel channel, Direction direction, Multiaddr remoteAddress,
                   ConnManagementScope scope) {
        this.node = node;
        this.channel = channel;
        this.direction = direction;
        this.remoteAddress = remoteAddress;
        this.scope = scope;
        this.gate = new ScopeGate(scope);
        // yamux's rule: the dialer opens odd stream ids, the listener even ones.
        this.nextStreamId = direction == Direction.OUTBOUND ? 1 : 2;
    }

    /** The Netty handler that drives this connection. */
    ChannelHandler handler() {
        return handler;
    }

    ScopeGate gate() {
        return gate;
    }

    Node node() {
        return node;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    // ---- public view ----------------------------------------------------------------------------

    /** Who dialled. */
    public Direction direction() {
        return direction;
    }

    /** The remote's address, as given to {@code openConnection}. */
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    /** The remote peer, once its HELLO arrived; null before. */
    public PeerId remotePeer() {
        return remotePeer;
    }

    /** The connection's scope name ({@code conn-17}). */
    public String scopeName() {
        return scope.name();
    }

    /** Streams open now. */
    public int streamCount() {
        return streamCount;
    }

    /** Completes when both sides admitted the peer; fails with a {@link ConnectionRefusedException}. */
    public CompletableFuture<PeerConnection> established() {
        return established;
    }

    /** Completes once the connection is gone and everything it held released, with why it ended. */
    public CompletableFuture<Reason> closed() {
        return closed;
    }

    /** Whether the connection is still up. */
    public boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    /**
     * Opens a stream speaking {@code protocol}: admitted by this node's manager ({@code openStream},
     * {@code setProtocol}), then by the remote's.
     *
     * @return completes with the stream once the remote accepted it; fails with a
     *     {@link StreamResetException} whose reason says who refused and why
     */
    public CompletableFuture<PeerStream> openStream(ProtocolId protocol, StreamHandler streamHandler) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(streamHandler, "streamHandler");
        CompletableFuture<PeerStream> result = new CompletableFuture<>();
        execute(() -> openStreamOnLoop(protocol, streamHandler, result), () -> result.completeExceptionally(
                new StreamResetException(Reason.of(ErrorCodes.STREAM_SHUTDOWN, Reason.SHUTDOWN, "node is shutting down"),
                        true)));
        return result;
    }

    /** Closes the connection, telling the remote {@code reason}. */
    public CompletableFuture<Reason> close(Reason reason) {
        Objects.requireNonNull(reason, "reason");
        execute(() -> closeWith(reason), channel::close);
        return closed;
    }

    /** Closes the connection without a word, as a crash would (for tests). */
    public void abort() {
        channel.close();
    }

    @Override
    public String toString() {
        PeerId p = remotePeer;
        return scope.name() + " " + direction.name().toLowerCase(java.util.Locale.ROOT) + " " + remoteAddress
                + (p == null ? "" : " " + p.toBase58());
    }

    // ---- event loop plumbing ---------------------------------------------------------------------

    /** Runs {@code task} on the event loop, or {@code rejected} if the loop is gone. */
    void execute(Runnable task, Runnable rejected) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            rejected.run();
        }
    }

    private void openStreamOnLoop(ProtocolId protocol, StreamHandler streamHandler,
                                  CompletableFuture<PeerStream> result) {
        if (closing || tornDown || !established.isDone() || established.isCompletedExceptionally()) {
            result.completeExceptionally(new StreamResetException(
                    Reason.of(ErrorCodes.NO_ERROR, Reason.CLOSED, "connection is not open"), true));
            return;
        }
        StreamManagementScope streamScope;
        try {
            streamScope = node.rcmgr().openStream(remotePeer, Direction.OUTBOUND);
        } catch (ResourceLimitExceededException e) {
            Reason reason = Reason.refusal(e, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED);
            node.countersInternal().streamRefused(reason);
            result.completeExceptionally(new StreamResetException(reason, true));
            return;
        } catch (ResourceScopeClosedException e) {
            result.completeExceptionally(new StreamResetException(
                    Reason.of(ErrorCodes.STREAM_SHUTDOWN, Reason.SHUTDOWN, e.getMessage()), true));
            return;
        }
        try {
            // go-libp2p's basic host attaches outbound streams to their protocol as well.
            streamScope.setProtocol(protocol);
        } catch (ResourceLimitExceededException e) {
            streamScope.done();
            Reason reason = Reason.refusal(e, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED);
            node.countersInternal().streamRefused(reason);
            result.completeExceptionally(new StreamResetException(reason, true));
            return;
        }
        node.countersInternal().streamAdmitted(Direction.OUTBOUND);
        int id = nextStreamId;
        nextStreamId += 2;
        PeerStream stream = new PeerStream(this, id, Direction.OUTBOUND, protocol, streamScope, streamHandler);
        streams.put(id, stream);
        streamCount = streams.size();
        stream.accepted().whenComplete((s, e) -> {
            if (e == null) {
                result.complete(s);
            } else {
                result.completeExceptionally(e);
            }
        });
        sendControl(stream.gate(), Frame.SYN, id, protocol.value().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a control frame from a native buffer in {@code owner}'s scope; if that scope refuses
     * even these few bytes (or is gone), from the heap, counted, so that a refusal can always be told.
     */
    ChannelFuture sendControl(ScopeGate owner, int type, int streamId, byte[] payload) {
        ByteBuf buf = null;
        if (owner != null && owner.enter()) {
            NativeBuffer frame = null;
            try {
                frame = node.offHeap().allocate(owner.scope(), Frame.HEADER_BYTES + payload.length,
                        ReservationPriority.ALWAYS);
                ByteBuffer out = frame.byteBuffer();
                Frame.putHeader(out, type, streamId, payload.length);
                out.put(payload);
                buf = new NativeByteBuf(channel.alloc(), frame, owner);
            } catch (ResourceException e) {
                if (frame != null) {
                    frame.close();
                }
                owner.exit();
            }
        }
        if (buf == null) {
            node.countersInternal().heapControlFrame();
            buf = heapFrame(type, streamId, payload);
        }
        return channel.writeAndFlush(buf);
    }

    static ByteBuf heapFrame(int type, int streamId, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(Frame.HEADER_BYTES + payload.length);
        Frame.putHeader(out, type, streamId, payload.length);
        out.put(payload);
        return Unpooled.wrappedBuffer(out.array());
    }

    /** Writes DATA frames already drawn from {@code stream}'s scope (and its gate entered for each). */
    void sendData(PeerStream stream, List<NativeBuffer> frames, CompletableFuture<Void> done) {
        if (!stream.canWrite() || closing || tornDown) {
            for (NativeBuffer frame : frames) {
                try {
                    frame.close();
                } finally {
                    stream.gate().exit();
                }
            }
            done.completeExceptionally(stream.failure(
                    Reason.of(ErrorCodes.NO_ERROR, Reason.CLOSED, "stream is closed for writing")));
            return;
        }
        ChannelFuture last = null;
        for (NativeBuffer frame : frames) {
            last = channel.write(new NativeByteBuf(channel.alloc(), frame, stream.gate()));
        }
        channel.flush();
        last.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
    }

    void streamFinished(PeerStream stream) {
        streams.remove(stream.id(), stream);
        streamCount = streams.size();
    }

    // ---- handshake --------------------------------------------------------------------------------

    private void onActive() {
        wasActive = true;
        byte[] key = node.identity().encodedPublicKey();
        ByteBuffer hello = ByteBuffer.allocate(3 + key.length);
        hello.put((byte) Frame.PROTOCOL_VERSION).putShort((short) key.length).put(key);
        sendControl(gate, Frame.HELLO, 0, hello.array());
        long timeout = node.config().handshakeTimeout().toMillis();
        handshakeTimer = channel.eventLoop().schedule(() -> {
            if (!established.isDone()) {
                closeWith(Reason.of(ErrorCodes.CONN_PROTOCOL_NEGOTIATION_FAILED, Reason.TIMEOUT,
                        "handshake not completed within " + timeout + " ms"));
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }

    private void onHello(ByteBuffer payload) {
        if (remotePeer != null) {
            violation("second HELLO");
            return;
        }
        PeerId peer;
        try {
            int version = Byte.toUnsignedInt(payload.get());
            if (version != Frame.PROTOCOL_VERSION) {
                violation("unsupported protocol version " + version);
                return;
            }
            int len = Short.toUnsignedInt(payload.getShort());
            if (len != payload.remaining()) {
                violation("malformed HELLO");
                return;
            }
            byte[] key = new byte[len];
            payload.get(key);
            peer = Identity.peerIdOf(key);
        } catch (RuntimeException e) {
            violation("malformed HELLO: " + e.getMessage());
            return;
        }
        if (peer.equals(node.peerId())) {
            violation("dialled itself");
            return;
        }
        remotePeer = peer;
        try {
            // Section 9: the connection moves from the transient scope to its peer's as soon as
            // the handshake names the peer.
            scope.setPeer(peer);
        } catch (ResourceLimitExceededException e) {
            Reason reason = Reason.refusal(e, ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED);
            node.countersInternal().connRefused(reason);
            closeWith(reason);
            return;
        } catch (ResourceScopeClosedException e) {
            closeWith(Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.SHUTDOWN, e.getMessage()));
            return;
        }
        localReady = true;
        sendControl(gate, Frame.READY, 0, new byte[0]);
        maybeEstablished();
    }

    private void onReady() {
        if (remotePeer == null || remoteReady) {
            violation("READY out of order");
            return;
        }
        remoteReady = true;
        maybeEstablished();
    }

    private void maybeEstablished() {
        if (localReady && remoteReady && !established.isDone()) {
            if (handshakeTimer != null) {
                handshakeTimer.cancel(false);
            }
            node.countersInternal().connEstablished();
            established.complete(this);
        }
    }

    // ---- streams the remote opens ---------------------------------------------------------------

    private void onSyn(int id, ByteBuffer payload) {
        boolean remoteParity = (id & 1) == (direction == Direction.OUTBOUND ? 0 : 1);
        if (id == 0 || !remoteParity || streams.containsKey(id)) {
            violation("bad stream id " + id + " in SYN");
            return;
        }
        String text = StandardCharsets.UTF_8.decode(payload).toString();
        StreamManagementScope streamScope;
        try {
            // go-libp2p's swarm admits the muxed stream before anything is negotiated.
            streamScope = node.rcmgr().openStream(remotePeer, Direction.INBOUND);
        } catch (ResourceLimitExceededException e) {
            refuseStream(id, Reason.refusal(e, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED));
            return;
        } catch (ResourceScopeClosedException e) {
            refuseStream(id, Reason.of(ErrorCodes.STREAM_SHUTDOWN, Reason.SHUTDOWN, e.getMessage()));
            return;
        }
        ProtocolId protocol;
        try {
            protocol = ProtocolId.of(text);
        } catch (IllegalArgumentException e) {
            streamScope.done();
            refuseStream(id, Reason.of(ErrorCodes.STREAM_PROTOCOL_NEGOTIATION_FAILED, Reason.PROTOCOL,
                    "invalid protocol id"));
            return;
        }
        StreamHandlerFactory factory = node.protocols().get(protocol);
        if (factory == null) {
            streamScope.done();
            refuseStream(id, Reason.of(ErrorCodes.STREAM_PROTOCOL_NEGOTIATION_FAILED, Reason.PROTOCOL,
                    "protocol not supported: " + protocol.value()));
            return;
        }
        try {
            // The basic host's step once multistream has named the protocol.
            streamScope.setProtocol(protocol);
        } catch (ResourceLimitExceededException e) {
            streamScope.done();
            refuseStream(id, Reason.refusal(e, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED));
            return;
        }
        PeerStream stream = new PeerStream(this, id, Direction.INBOUND, protocol, streamScope,
                factory.create(node));
        streams.put(id, stream);
        streamCount = streams.size();
        try {
            // The protocol's handler claims its service (setService) here.
            stream.handler().onAdmit(stream);
        } catch (ResourceLimitExceededException e) {
            Reason reason = Reason.refusal(e, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED);
            node.countersInternal().streamRefused(reason);
            stream.resetOnLoop(reason);
            return;
        } catch (RuntimeException e) {
            stream.handlerFailed(e);
            return;
        }
        node.countersInternal().streamAdmitted(Direction.INBOUND);
        sendControl(stream.gate(), Frame.ACK, id, new byte[0]);
        stream.markAccepted();
    }

    /** Resets a stream that never had a scope; the RST is drawn from the connection's scope. */
    private void refuseStream(int id, Reason reason) {
        node.countersInternal().streamRefused(reason);
        sendControl(gate, Frame.RST, id, reason.encode());
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Sends CLOSE with {@code reason} and closes the channel once it is written. */
    void closeWith(Reason reason) {
        if (closing || tornDown) {
            return;
        }
        closing = true;
        if (closeReason == null) {
            closeReason = reason;
        }
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        sendControl(gate, Frame.CLOSE, 0, reason.encode()).addListener(ChannelFutureListener.CLOSE);
        // A peer that stops reading must not keep the connection: close regardless after a while.
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, 2, TimeUnit.SECONDS);
    }

    /** The dial never connected: release the scope; nothing else was ever held. */
    void connectFailed(Reason reason) {
        Runnable fail = () -> {
            if (closeReason == null) {
                closeReason = reason;
            }
            tearDown();
            channel.close();
        };
        execute(fail, fail);
    }

    private void violation(String what) {
        LOG.debug("{}: protocol violation: {}", this, what);
        closeWith(Reason.of(ErrorCodes.CONN_PROTOCOL_VIOLATION, Reason.VIOLATION, what));
    }

    /** The channel is gone: end every stream, free every buffer, and finish the scope. */
    private void tearDown() {
        if (tornDown) {
            return;
        }
        tornDown = true;
        closing = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        discardBody();
        Reason reason = closeReason != null ? closeReason
                : wasActive ? Reason.of(ErrorCodes.NO_ERROR, Reason.CLOSED, "connection closed without a reason")
                : Reason.of(ErrorCodes.NO_ERROR, Reason.IO, "connection failed before it was established");
        Reason streamReason = new Reason(reason.code(), Reason.CLOSED, "", "", "",
                "connection ended: " + reason, true);
        for (PeerStream stream : new ArrayList<>(streams.values())) {
            stream.abort(streamReason);
        }
        streams.clear();
        streamCount = 0;
        if (!established.isDone()) {
            established.completeExceptionally(new ConnectionRefusedException(reason));
        }
        gate.close();
        node.connectionClosed(this);
        closed.complete(reason);
    }

    // ---- decoding ----------------------------------------------------------------------------------

    private void decode(ByteBuf in) {
        while (in.isReadable() && !closing) {
            if (!inBody) {
                int n = Math.min(Frame.HEADER_BYTES - headerFill, in.readableBytes());
                in.readBytes(header, headerFill, n);
                headerFill += n;
                if (headerFill < Frame.HEADER_BYTES) {
                    return;
                }
                headerFill = 0;
                startFrame();
            } else {
                int n = Math.min(bodyRemaining, in.readableBytes());
                if (bodyView == null) {
                    in.skipBytes(n);
                } else {
                    bodyView.limit(bodyView.position() + n);
                    in.readBytes(bodyView);
                }
                bodyRemaining -= n;
                if (bodyRemaining == 0) {
                    finishFrame();
                }
            }
        }
    }

    private void startFrame() {
        ByteBuffer h = ByteBuffer.wrap(header);
        int type = Byte.toUnsignedInt(h.get());
        h.get(); // flags: none defined
        int streamId = h.getInt();
        int length = h.getInt();
        if (type < Frame.HELLO || type > Frame.CLOSE) {
            violation("unknown frame " + type);
            return;
        }
        if (length < 0 || length > Frame.maxPayload(type)) {
            violation(Frame.typeName(type) + " of " + Integer.toUnsignedString(length) + " bytes");
            return;
        }
        if (!established.isDone() && type != Frame.HELLO && type != Frame.READY && type != Frame.CLOSE) {
            violation(Frame.typeName(type) + " before the handshake");
            return;
        }
        bodyType = type;
        bodyStreamId = streamId;
        bodyRemaining = length;
        body = null;
        bodyView = null;
        bodyGate = null;
        bodyStream = null;
        if (length > 0 && !allocateBody(type, streamId, length)) {
            return;
        }
        inBody = length > 0;
        if (length == 0) {
            finishFrame();
        }
    }

    /** Draws the frame's payload buffer from the scope that will own the bytes; false if the connection closes. */
    private boolean allocateBody(int type, int streamId, int length) {
        if (type == Frame.DATA) {
            PeerStream stream = streams.get(streamId);
            if (stream == null || !stream.canReceive() || !stream.gate().enter()) {
                return true; // skipped: the stream is gone, its data is dropped
            }
            try {
                body = node.offHeap().allocate(stream.managementScope(), length, node.config().receivePriority());
                bodyGate = stream.gate();
                bodyStream = stream;
                bodyView = body.byteBuffer();
            } catch (ResourceLimitExceededException e) {
                stream.gate().exit();
                // The stream's memory (or its peer's, protocol's, system's) is full: the stream, not
                // the connection, pays, as go-libp2p resets it with StreamResourceLimitExceeded.
                stream.resetOnLoop(Reason.refusal(e, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED));
            } catch (ResourceScopeClosedException e) {
                stream.gate().exit();
            }
            return true;
        }
        if (!gate.enter()) {
            closeWith(Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.CLOSED, "connection scope is done"));
            return false;
        }
        try {
            body = node.offHeap().allocate(scope, length, ReservationPriority.ALWAYS);
            bodyGate = gate;
            bodyView = body.byteBuffer();
            return true;
        } catch (ResourceLimitExceededException e) {
            gate.exit();
            closeWith(Reason.refusal(e, ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED));
            return false;
        } catch (ResourceScopeClosedException e) {
            gate.exit();
            closeWith(Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.CLOSED, e.getMessage()));
            return false;
        }
    }

    private void finishFrame() {
        inBody = false;
        NativeBuffer payload = body;
        ScopeGate owner = bodyGate;
        PeerStream stream = bodyStream;
        body = null;
        bodyView = null;
        bodyGate = null;
        bodyStream = null;
        if (bodyType == Frame.DATA) {
            if (payload != null) {
                // Ownership passes to the stream's handler; the gate no longer needs to wait for it.
                owner.exit();
                stream.onData(payload);
            }
            return;
        }
        try {
            ByteBuffer view = payload == null ? ByteBuffer.allocate(0) : payload.byteBuffer();
            dispatchControl(bodyType, bodyStreamId, view);
        } finally {
            if (payload != null) {
                payload.close();
                owner.exit();
            }
        }
    }

    private void discardBody() {
        if (body != null) {
            body.close();
            bodyGate.exit();
            body = null;
            bodyView = null;
            bodyGate = null;
            bodyStream = null;
        }
        inBody = false;
    }

    private void dispatchControl(int type, int streamId, ByteBuffer payload) {
        switch (type) {
            case Frame.HELLO -> onHello(payload);
            case Frame.READY -> onReady();
            case Frame.CLOSE -> onClose(payload);
            case Frame.SYN -> onSyn(streamId, payload);
            case Frame.ACK -> withStream(streamId, PeerStream::onAck);
            case Frame.FIN -> withStream(streamId, PeerStream::onRemoteFin);
            case Frame.RST -> {
                Reason reason;
                try {
                    reason = Reason.decode(payload);
                } catch (IllegalArgumentException e) {
                    violation("malformed RST");
                    return;
                }
                withStream(streamId, s -> s.onRemoteReset(reason));
            }
            default -> violation("unexpected " + Frame.typeName(type));
        }
    }

    private void withStream(int id, java.util.function.Consumer<PeerStream> action) {
        PeerStream stream = streams.get(id);
        if (stream != null) {
            action.accept(stream);
        }
        // Frames for a stream already gone (reset crossing a FIN, say) are dropped, as yamux drops them.
    }

    private void onClose(ByteBuffer payload) {
        Reason reason;
        try {
            reason = Reason.decode(payload);
        } catch (IllegalArgumentException e) {
            reason = Reason.of(ErrorCodes.CONN_PROTOCOL_VIOLATION, Reason.VIOLATION, "malformed CLOSE");
        }
        node.countersInternal().closeReceived(reason);
        if (closeReason == null) {
            closeReason = reason;
        }
        closing = true;
        channel.close();
    }

    /** The pipeline's only handler. */
    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            onActive();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                decode(in);
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            tearDown();
            ctx.fireChannelInactive();
        }

        /** Also after a connect that never succeeded, which never fires channelInactive. */
        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) {
            tearDown();
            ctx.fireChannelUnregistered();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof ResourceLimitExceededException refused) {
                // A read buffer refused by the connection's scope.
                closeWith(Reason.refusal(refused, ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED));
            } else if (cause instanceof IOException) {
                if (closeReason == null) {
                    closeReason = Reason.of(ErrorCodes.NO_ERROR, Reason.IO, String.valueOf(cause.getMessage()));
                }
                channel.close();
            } else {
                LOG.warn("{}: unexpected failure", PeerConnection.this, cause);
                closeWith(Reason.of(ErrorCodes.CONN_PROTOCOL_VIOLATION, Reason.INTERNAL, String.valueOf(cause)));
            }
        }
    }
}
