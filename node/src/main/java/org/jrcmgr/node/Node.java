package org.jrcmgr.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.EndpointRefusedException;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.micrometer.RcmgrMetrics;
import org.jrcmgr.node.protocol.Protocols;
import org.jrcmgr.offheap.OffHeap;
import org.jrcmgr.offheap.OffHeapStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small peer-to-peer node on Netty (TCP, NIO) whose every connection, stream and buffer goes
 * through a resource manager: go-libp2p's discipline (its section 9) applied to a test transport.
 *
 * <ul>
 *   <li>An accepted socket is admitted by {@code openConnection(INBOUND, usesFd=true, remote)}
 *       before a byte is read; a refusal closes it with a CLOSE frame naming the reason.</li>
 *   <li>A dial is admitted by {@code openConnection(OUTBOUND, true, remote)} before connecting.</li>
 *   <li>The handshake exchanges Ed25519 peer ids, then {@code setPeer}; then streams, each admitted
 *       by {@code openStream}, {@code setProtocol} and the protocol's {@code setService}
 *       ({@link PeerConnection}).</li>
 *   <li>Every byte held is a native buffer reserved in a connection's or stream's scope
 *       ({@link org.jrcmgr.offheap.OffHeap}); a closed or killed connection gives everything back.</li>
 * </ul>
 *
 * <p>The transport neither authenticates nor encrypts: it is for tests and demonstrations only.
 */
public final class Node implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /** Netty's socket read buffers: from 64 bytes up to 64 KiB, drawn from the connection's scope. */
    private static final int READ_MIN = 64;
    private static final int READ_INITIAL = 2048;
    private static final int READ_MAX = 64 * 1024;

    private final NodeConfig config;
    private final Identity identity;
    private final PrometheusMeterRegistry registry;
    private final RcmgrMetrics metrics;
    private final RefusalCounter refusalCounter = new RefusalCounter();
    private final NodeCounters counters = new NodeCounters();
    private final ResourceManager rcmgr;
    private final OffHeap offHeap;
    private final Map<ProtocolId, StreamHandlerFactory> protocols = new ConcurrentHashMap<>();
    private final Set<PeerConnection> connections = ConcurrentHashMap.newKeySet();
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Bootstrap clientBootstrap;
    private volatile Channel serverChannel;
    private volatile ControlServer control;
    private volatile boolean closed;

    private Node(NodeConfig config) {
        this.config = config;
        this.identity = Identity.generate();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        ResourceManagerBuilder builder = ResourceManagerBuilder.create()
                .limits(config.limits() != null ? config.limits() : DefaultLimits.defaults().autoScale())
                .allowlist(Allowlist.of(config.allowlist()))
                .connLimits(config.connLimits())
                .connRateLimits(config.connRateLimits())
                .refusalSummary(config.refusalSummary())
                .lintMode(config.lintMode())
                .observer(metrics)
                .observer(refusalCounter);
        if (config.traceFile() != null) {
            builder.trace(config.traceFile());
        }
        this.rcmgr = builder.build();
        this.offHeap = OffHeap.create();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory(config.name() + "-accept", true), NioIoHandler.newFactory());
        this.workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory(config.name() + "-io", true), NioIoHandler.newFactory());
        this.clientBootstrap = new Bootstrap()
                .group(workerGroup)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(READ_MIN, READ_INITIAL, READ_MAX));
    }

    /**
     * Starts a node: its manager, its listener and, if configured, its control endpoint. The
     * standard protocols ({@code /echo/1.0.0}, {@code /bulk/1.0.0}, {@code /slow/1.0.0}) are served.
     *
     * @throws UncheckedIOException if a port cannot be bound
     */
    public static Node start(NodeConfig config) {
        Objects.requireNonNull(config, "config");
        Node node = new Node(config);
        try {
            Protocols.registerDefaults(node);
            node.bind();
            if (config.controlPort() >= 0) {
                node.control = ControlServer.start(node, config.controlHost(), config.controlPort());
            }
        } catch (IOException | RuntimeException e) {
            node.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        if (!chronicleFlagsPresent()) {
            LOG.warn("chronicle-bytes' JVM flags are missing: launch with java -jar (the manifest adds them) or pass"
                    + " --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"
                    + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED");
        }
        LOG.info("node {} {} listening on {}{}", config.name(), node.peerId(), node.listenMultiaddr(),
                node.control == null ? "" : ", control on http://" + hostPort(node.control.address()));
        return node;
    }

    private void bind() throws IOException {
        ServerBootstrap server = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(READ_MIN, READ_INITIAL, READ_MAX))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        acceptInbound(ch);
                    }
                });
        try {
            serverChannel = server.bind(config.listenHost(), config.listenPort()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        } catch (RuntimeException e) {
            throw new IOException("cannot listen on " + config.listenHost() + ":" + config.listenPort() + ": " + e, e);
        }
    }

    // ---- admission --------------------------------------------------------------------------------

    /** Section 9, upgrader listener: admit the accepted socket before doing any work for it. */
    private void acceptInbound(SocketChannel ch) {
        Multiaddr remote = Multiaddr.of(ch.remoteAddress(), Multiaddr.Protocol.TCP);
        ConnManagementScope scope;
        try {
            scope = rcmgr.openConnection(Direction.INBOUND, true, remote);
        } catch (ResourceLimitExceededException e) {
            refuse(ch, Reason.refusal(e, ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED));
            return;
        } catch (EndpointRefusedException e) {
            refuse(ch, Reason.refusal(e));
            return;
        } catch (ResourceScopeClosedException e) {
            refuse(ch, Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.SHUTDOWN, "node is shutting down"));
            return;
        }
        counters.connAdmitted(Direction.INBOUND);
        PeerConnection conn = new PeerConnection(this, ch, Direction.INBOUND, remote, scope);
        ch.config().setAllocator(new ScopedAllocator(offHeap, conn.gate(), ReservationPriority.ALWAYS));
        connections.add(conn);
        ch.pipeline().addLast(conn.handler());
        if (closed) {
            conn.close(Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.SHUTDOWN, "node is shutting down"));
        }
    }

    /**
     * A refused socket reads nothing; it is told why in a CLOSE frame, then closed. That frame is the
     * one write not drawn from a scope: a refused connection has none (it is counted as a heap
     * control frame).
     */
    private void refuse(Channel ch, Reason reason) {
        counters.connRefused(reason);
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                counters.heapControlFrame();
                ctx.writeAndFlush(PeerConnection.heapFrame(Frame.CLOSE, 0, reason.encode()))
                        .addListener(ChannelFutureListener.CLOSE);
                ctx.executor().schedule(() -> {
                    ctx.close();
                }, 2, TimeUnit.SECONDS);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }

    /**
     * Dials {@code target}: admitted by this node's manager first ({@code openConnection(OUTBOUND, ...)}),
     * then connected, then the handshake.
     *
     * @return completes with the connection once both sides admitted the peer; fails with a
     *     {@link ConnectionRefusedException} whose reason tells who refused (this node, with
     *     {@link Reason#local()}, or the remote) and why, or what failed
     */
    public CompletableFuture<PeerConnection> dial(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        InetSocketAddress resolved = target.isUnresolved()
                ? new InetSocketAddress(target.getHostString(), target.getPort()) : target;
        if (resolved.isUnresolved()) {
            return CompletableFuture.failedFuture(new ConnectionRefusedException(
                    Reason.of(ErrorCodes.NO_ERROR, Reason.IO, "cannot resolve " + target.getHostString())));
        }
        Multiaddr remote = Multiaddr.of(resolved, Multiaddr.Protocol.TCP);
        ConnManagementScope scope;
        try {
            scope = rcmgr.openConnection(Direction.OUTBOUND, true, remote);
        } catch (ResourceLimitExceededException e) {
            return refusedDial(Reason.refusal(e, ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED));
        } catch (EndpointRefusedException e) {
            return refusedDial(Reason.refusal(e));
        } catch (ResourceScopeClosedException e) {
            return refusedDial(Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.SHUTDOWN, "node is shutting down"));
        }
        counters.connAdmitted(Direction.OUTBOUND);
        CompletableFuture<PeerConnection> result = new CompletableFuture<>();
        AtomicReference<PeerConnection> made = new AtomicReference<>();
        Bootstrap b = clientBootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                PeerConnection conn = new PeerConnection(Node.this, ch, Direction.OUTBOUND, remote, scope);
                made.set(conn);
                ch.config().setAllocator(new ScopedAllocator(offHeap, conn.gate(), ReservationPriority.ALWAYS));
                connections.add(conn);
                ch.pipeline().addLast(conn.handler());
                conn.established().whenComplete((c, e) -> {
                    if (e == null) {
                        result.complete(c);
                    } else {
                        result.completeExceptionally(e);
                    }
                });
            }
        });
        try {
            // Register first and connect with a promise whose listener is in place before the
            // connect starts, so that a failure is known (and its cause kept) before the channel closes.
            ChannelFuture registered = b.register();
            registered.addListener((ChannelFutureListener) r -> {
                PeerConnection conn = made.get();
                if (!r.isSuccess() || conn == null) {
                    if (conn == null) {
                        scope.done();
                    }
                    result.completeExceptionally(new ConnectionRefusedException(Reason.of(ErrorCodes.CONN_SHUTDOWN,
                            Reason.SHUTDOWN, "cannot register the channel: " + r.cause())));
                    return;
                }
                ChannelPromise connected = r.channel().newPromise();
                connected.addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        conn.connectFailed(Reason.of(ErrorCodes.NO_ERROR, Reason.IO,
                                "cannot connect to " + remote + ": " + f.cause().getMessage()));
                    }
                });
                r.channel().connect(resolved, connected);
            });
        } catch (RuntimeException e) {
            // The event loop is shut down (the node is closing).
            if (made.get() == null) {
                scope.done();
            }
            result.completeExceptionally(new ConnectionRefusedException(
                    Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.SHUTDOWN, String.valueOf(e.getMessage()))));
        }
        return result;
    }

    private CompletableFuture<PeerConnection> refusedDial(Reason reason) {
        counters.connRefused(reason);
        return CompletableFuture.failedFuture(new ConnectionRefusedException(reason));
    }

    void connectionClosed(PeerConnection conn) {
        connections.remove(conn);
    }

    // ---- accessors ------------------------------------------------------------------------------------

    /** The configuration. */
    public NodeConfig config() {
        return config;
    }

    /** The node's identity. */
    public Identity identity() {
        return identity;
    }

    /** The node's peer id. */
    public PeerId peerId() {
        return identity.peerId();
    }

    /** The node's resource manager. */
    public ResourceManager rcmgr() {
        return rcmgr;
    }

    /** The allocator every buffer of the node comes from. */
    public OffHeap offHeap() {
        return offHeap;
    }

    /** What the node admitted and refused. */
    public NodeCounters counters() {
        return counters;
    }

    NodeCounters countersInternal() {
        return counters;
    }

    /** Refusals of the manager by refusing scope kind (exact totals). */
    public Map<String, Long> refusalsByScopeKind() {
        return refusalCounter.byScopeKind();
    }

    /** Refusals of the manager by resource (exact totals). */
    public Map<String, Long> refusalsByResource() {
        return refusalCounter.byResource();
    }

    /** All refusals of the manager. */
    public long refusalsTotal() {
        return refusalCounter.total();
    }

    /** The Prometheus text of go-libp2p's {@code libp2p_rcmgr_*} metrics for this node. */
    public String scrapeMetrics() {
        return registry.scrape();
    }

    /** Serves {@code protocol} with handlers made by {@code factory}. */
    public void handle(ProtocolId protocol, StreamHandlerFactory factory) {
        protocols.put(Objects.requireNonNull(protocol, "protocol"), Objects.requireNonNull(factory, "factory"));
    }

    Map<ProtocolId, StreamHandlerFactory> protocols() {
        return protocols;
    }

    /** The address the node listens on. */
    public InetSocketAddress listenAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The listen address as a multiaddr. */
    public Multiaddr listenMultiaddr() {
        return Multiaddr.of(listenAddress(), Multiaddr.Protocol.TCP);
    }

    /** The control endpoint's address, or null without one. */
    public InetSocketAddress controlAddress() {
        ControlServer c = control;
        return c == null ? null : c.address();
    }

    /** The connections open now. */
    public List<PeerConnection> connections() {
        return new ArrayList<>(connections);
    }

    /**
     * Whether the node holds nothing: every scope's usage is zero and no native buffer is live
     * (live, reserved and native bytes all zero). At a quiescent moment this is exact.
     */
    public boolean isIdle() {
        OffHeapStats stats = offHeap.stats();
        if (stats.liveBuffers() != 0 || stats.liveBytes() != 0 || stats.reservedBytes() != 0
                || stats.nativeBytes() != 0 || stats.deferredBytes() != 0) {
            return false;
        }
        for (ScopeSnapshot s : rcmgr.snapshot().scopes()) {
            if (!s.usage().isZero()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Polls {@link #isIdle()} until it holds or {@code timeout} passes.
     *
     * @return whether the node became idle in time
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (isIdle()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    /** Closes every connection (CLOSE, code {@code 0x1006} shutdown), then the listener, loops and manager. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        List<CompletableFuture<Reason>> closing = new ArrayList<>();
        for (PeerConnection conn : connections()) {
            closing.add(conn.close(Reason.of(ErrorCodes.CONN_SHUTDOWN, Reason.SHUTDOWN, "node is shutting down")));
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("node {}: connections did not all close in time", config.name(), e);
        }
        ControlServer c = control;
        if (c != null) {
            c.stop();
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        rcmgr.close();
        registry.close();
    }

    /**
     * Whether this JVM was started with chronicle-bytes' three flags for the class path
     * ({@code java -jar} applies them from the jar's manifest): exports of
     * {@code java.base/jdk.internal.ref} and {@code java.base/sun.nio.ch}, and the opening of
     * {@code java.base/java.lang.reflect}, to the unnamed module.
     */
    public static boolean chronicleFlagsPresent() {
        Module base = Object.class.getModule();
        Module self = Node.class.getModule();
        return base.isExported("jdk.internal.ref", self) && base.isExported("sun.nio.ch", self)
                && base.isOpen("java.lang.reflect", self);
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public String toString() {
        return "Node[" + config.name() + " " + peerId() + "]";
    }
}
