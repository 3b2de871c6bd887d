package org.jrcmgr.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Direction;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.LimitValue;
import org.jrcmgr.node.protocol.Exchanges;
import org.jrcmgr.node.protocol.Protocols;
import org.jrcmgr.offheap.NativeBuffer;
import org.jrcmgr.offheap.OffHeapStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two (or three) nodes in this process on loopback. */
@Timeout(60)
class NodeTest {

    private static final long WAIT = 10;

    @Test
    void handshakeAttachesEachSideToItsPeer() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start("b", TestNodes.base());
            PeerConnection conn = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);

            assertEquals(b.peerId(), conn.remotePeer());
            assertEquals(Direction.OUTBOUND, conn.direction());
            assertTrue(a.peerId().toBase58().startsWith("12D3KooW"), a.peerId().toBase58());
            // setPeer on both sides: the connection counts in the peer's scope, no longer in transient.
            ScopeSnapshot aPeer = a.rcmgr().snapshot().peer(b.peerId()).orElseThrow();
            assertEquals(1, aPeer.usage().connsOutbound());
            assertEquals(1, aPeer.usage().fd());
            awaitTrue(() -> b.rcmgr().snapshot().peer(a.peerId())
                    .map(s -> s.usage().connsInbound() == 1).orElse(false), "b attaches the connection to a");
            assertEquals(0, a.rcmgr().snapshot().scope("transient").orElseThrow().usage().conns());
            assertEquals(0, b.rcmgr().snapshot().scope("transient").orElseThrow().usage().conns());
            assertEquals(1, b.connections().size());
            assertEquals(a.peerId(), b.connections().get(0).remotePeer());

            conn.close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b);
        }
    }

    @Test
    void echoRoundTripsOfEverySize() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start("b", TestNodes.base());
            PeerConnection conn = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);
            // 0 bytes, one small frame, exactly one full frame, and many frames.
            for (int size : new int[] {0, 1, 1000, 64 * 1024, 64 * 1024 + 1, 700_000}) {
                Exchanges.Result r = Exchanges.echo(conn, size).get(WAIT, TimeUnit.SECONDS);
                assertEquals(size, r.received(), "echo of " + size);
            }
            // Several streams at once on one connection.
            List<CompletableFuture<Exchanges.Result>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(Exchanges.echo(conn, 10_000 + i));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(10_000 + i, all.get(i).get(WAIT, TimeUnit.SECONDS).received());
            }
            assertEquals(Protocols.ECHO, Exchanges.echo(conn, 5).get(WAIT, TimeUnit.SECONDS).protocol());
            // The echo service claimed its streams: its scope exists and is empty again.
            awaitTrue(() -> b.rcmgr().snapshot().service(Protocols.ECHO_SERVICE)
                    .map(s -> s.peak().streamsInbound() >= 1 && s.usage().isZero()).orElse(false),
                    "the echo service scope saw the streams");
            conn.close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b);
        }
    }

    @Test
    void refusedStreamCarriesTheResetCodeAndTheRefusingScopeToTheOpener() throws Exception {
        BaseLimit oneSlow = TestNodes.base().protocolDefault().toBuilder().streams(1, 8, 8).build();
        ConcreteLimitConfig limits = TestNodes.limits(l -> l.protocol(Protocols.SLOW, oneSlow)
                .protocolPeer(Protocols.SLOW, oneSlow));
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start("b", limits);
            PeerConnection conn = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);
            CompletableFuture<Exchanges.Result> held = Exchanges.slow(conn, Duration.ofSeconds(30));
            awaitTrue(() -> b.rcmgr().snapshot().protocol(Protocols.SLOW)
                    .map(s -> s.usage().streamsInbound() == 1).orElse(false), "the first slow stream is held");

            ExecutionException e = assertFailed(Exchanges.slow(conn, Duration.ofMillis(1)));
            StreamResetException reset = assertInstanceOf(StreamResetException.class, e.getCause());
            assertTrue(reset.beforeAccept(), "refused, not reset after acceptance");
            Reason reason = reset.reason();
            assertEquals(ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED, reason.code());
            assertEquals(Reason.SCOPE, reason.category());
            assertFalse(reason.local(), "the remote refused");
            assertTrue(reason.scopeKind().equals("protocol") || reason.scopeKind().equals("protocol-peer"),
                    reason.toString());
            assertTrue(reason.scope().startsWith("protocol:/slow/1.0.0"), reason.scope());
            assertEquals("inbound stream", reason.resource());
            assertTrue(reason.message().contains("resource limit exceeded"), reason.message());
            assertEquals(1, b.counters().streamsRefused().get("scope:" + reason.scopeKind()));

            // An unknown protocol is refused with the negotiation code.
            ExecutionException unknown = assertFailed(Exchanges.run(conn, org.jrcmgr.ProtocolId.of("/nope/1.0.0"),
                    Exchanges.Settings.DEFAULT));
            Reason notSupported = ((StreamResetException) unknown.getCause()).reason();
            assertEquals(ErrorCodes.STREAM_PROTOCOL_NEGOTIATION_FAILED, notSupported.code());
            assertEquals(Reason.PROTOCOL, notSupported.category());

            conn.close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            assertFailed(held);
            TestNodes.assertIdle(a, b);
        }
    }

    @Test
    void localRefusalIsReportedAsLocal() throws Exception {
        // a's own manager admits one outbound stream per peer.
        BaseLimit peer = TestNodes.base().peerDefault().toBuilder().streams(256, 1, 257).build();
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.limits(l -> l.peerDefault(peer)));
            Node b = nodes.start("b", TestNodes.base());
            PeerConnection conn = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);
            CompletableFuture<Exchanges.Result> held = Exchanges.slow(conn, Duration.ofSeconds(30));
            awaitTrue(() -> a.rcmgr().snapshot().peer(b.peerId())
                    .map(s -> s.usage().streamsOutbound() == 1).orElse(false), "one outbound stream held");
            Reason reason = ((StreamResetException) assertFailed(Exchanges.echo(conn, 10)).getCause()).reason();
            assertTrue(reason.local());
            assertEquals("local-scope:peer", reason.key());
            assertEquals("outbound stream", reason.resource());
            conn.abort();
            assertFailed(held);
            TestNodes.assertIdle(a, b);
        }
    }

    @Test
    void refusedConnectionIsClosedWithTheReason() throws Exception {
        BaseLimit system = TestNodes.conns(TestNodes.base().system(), 1, 128, 129);
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node c = nodes.start("c", TestNodes.base());
            Node b = nodes.start("b", TestNodes.limits(l -> l.system(system)));
            PeerConnection first = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);

            // The system scope is full: openConnection refuses before anything else happens.
            ExecutionException e = assertFailed(c.dial(b.listenAddress()));
            Reason reason = assertInstanceOf(ConnectionRefusedException.class, e.getCause()).reason();
            assertEquals(ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED, reason.code());
            assertEquals("scope:system", reason.key());
            assertEquals("inbound connection", reason.resource());
            assertEquals(1, b.counters().connsRefused().get("scope:system"));
            assertEquals(1, c.counters().closesReceived().get("scope:system"));

            first.close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b, c);
            // Room again: the same dial is admitted.
            c.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS).close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b, c);
        }
    }

    @Test
    void setPeerRefusalClosesTheConnectionWithThePeerScopeNamed() throws Exception {
        BaseLimit peer = TestNodes.conns(TestNodes.base().peerDefault(), 1, 8, 8);
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start("b", TestNodes.limits(l -> l.peerDefault(peer)));
            PeerConnection first = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);
            Reason reason = ((ConnectionRefusedException) assertFailed(a.dial(b.listenAddress())).getCause()).reason();
            assertEquals(ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED, reason.code());
            assertEquals("scope:peer", reason.key());
            assertTrue(reason.scope().equals("peer:" + a.peerId().toBase58()), reason.scope());
            first.close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b);
        }
    }

    @Test
    void perAddressLimitRefusesWhenLoopbackIsNotExempt() throws Exception {
        ConnLimiterConfig onePerIp = ConnLimiterConfig.defaults()
                .withNetworkPrefixLimitsV4(List.of()).withNetworkPrefixLimitsV6(List.of())
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(1))));
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start(NodeConfig.builder().name("b").limits(TestNodes.base()).connLimits(onePerIp)
                    .refusalSummary(null));
            PeerConnection first = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);
            Reason reason = ((ConnectionRefusedException) assertFailed(a.dial(b.listenAddress())).getCause()).reason();
            assertEquals("per-address", reason.key());
            assertEquals(ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED, reason.code());
            assertTrue(reason.message().contains("connections per ip limit exceeded"), reason.message());
            first.close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b);
        }
    }

    @Test
    void bulkTransferIsRefusedAtTheStreamMemoryLimit() throws Exception {
        BaseLimit stream = TestNodes.base().stream().toBuilder().memory(1L << 20).build();
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start("b", TestNodes.limits(l -> l.stream(stream)));
            PeerConnection conn = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);

            // 512 KiB: two 256 KiB chunks, within MEDIUM's 60% of 1 MiB.
            Exchanges.Result ok = Exchanges.bulk(conn, 512 * 1024, ReservationPriority.MEDIUM).get(WAIT, TimeUnit.SECONDS);
            assertEquals(512 * 1024, ok.sent());
            // 1.5 MiB: the third chunk would take the stream above 60% of its limit.
            ExecutionException e = assertFailed(Exchanges.bulk(conn, 1536 * 1024, ReservationPriority.MEDIUM));
            StreamResetException reset = assertInstanceOf(StreamResetException.class, e.getCause());
            assertFalse(reset.beforeAccept(), "accepted, then reset when the memory ran out");
            assertEquals(ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED, reset.reason().code());
            assertEquals("scope:stream", reset.reason().key());
            assertEquals("memory", reset.reason().resource());
            assertTrue(reset.reason().message().contains("MEDIUM"), reset.reason().message());
            // 600 KiB needs a third chunk: refused at MEDIUM, admitted at ALWAYS (the frames being
            // received, reserved at HIGH, must fit beside the chunks too).
            assertEquals("scope:stream", ((StreamResetException) assertFailed(
                    Exchanges.bulk(conn, 600 * 1024, ReservationPriority.MEDIUM)).getCause()).reason().key());
            assertEquals(600 * 1024, Exchanges.bulk(conn, 600 * 1024, ReservationPriority.ALWAYS)
                    .get(WAIT, TimeUnit.SECONDS).sent());
            assertTrue(b.refusalsByResource().getOrDefault("memory", 0L) >= 1);

            conn.close(Reason.NORMAL_CLOSE).get(WAIT, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b);
            assertEquals(0, b.offHeap().stats().leakedBuffers(), "the bulk handler freed its chunks itself");
        }
    }

    @Test
    void peerVanishingMidStreamReleasesEverything() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start("b", TestNodes.base());
            PeerConnection conn = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);
            List<CompletableFuture<Exchanges.Result>> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slow.add(Exchanges.slow(conn, Duration.ofSeconds(30)));
            }
            // A bulk transfer left half-way: b holds its chunks, and a stream of a holds received data.
            CountDownLatch dataHeld = new CountDownLatch(1);
            List<NativeBuffer> keptByA = new ArrayList<>();
            PeerStream bulk = conn.openStream(Protocols.BULK, new StreamHandler() {
                @Override
                public void onData(PeerStream stream, NativeBuffer data) {
                    keptByA.add(data); // deliberately held: the scope must reclaim it
                    dataHeld.countDown();
                }
            }).get(WAIT, TimeUnit.SECONDS);
            bulk.write(ByteBuffer.wrap(new byte[] {(byte) ReservationPriority.ALWAYS.value()})).get(WAIT, TimeUnit.SECONDS);
            bulk.write(new byte[600 * 1024]).get(WAIT, TimeUnit.SECONDS);
            PeerStream echo = conn.openStream(Protocols.ECHO, new StreamHandler() {
                @Override
                public void onData(PeerStream stream, NativeBuffer data) {
                    keptByA.add(data);
                    dataHeld.countDown();
                }
            }).get(WAIT, TimeUnit.SECONDS);
            echo.write(new byte[1000]).get(WAIT, TimeUnit.SECONDS);
            assertTrue(dataHeld.await(WAIT, TimeUnit.SECONDS));
            awaitTrue(() -> b.rcmgr().snapshot().peer(a.peerId())
                    .map(s -> s.usage().streamsInbound() == 5 && s.usage().memory() >= 512 * 1024).orElse(false),
                    "b holds five streams and the bulk chunks");
            assertTrue(b.offHeap().stats().liveBytes() >= 512 * 1024);

            // The peer disappears without a word (no CLOSE, no FIN on the streams).
            conn.abort();

            TestNodes.assertIdle(a, b);
            for (CompletableFuture<Exchanges.Result> f : slow) {
                Reason r = ((StreamResetException) assertFailed(f).getCause()).reason();
                assertEquals(Reason.CLOSED, r.category());
            }
            assertEquals(Reason.CLOSED, bulk.closed().get(WAIT, TimeUnit.SECONDS).category());
            OffHeapStats bStats = b.offHeap().stats();
            assertEquals(0, bStats.leakedBuffers(), "b's handlers released what they held");
            assertTrue(bStats.balanced());
            // The buffer a's test handler kept was reclaimed with its stream's scope.
            assertEquals(1, a.offHeap().stats().leakedBuffers());
            assertEquals(NativeBuffer.State.RECLAIMED, keptByA.get(0).state());
        }
    }

    @Test
    void readBufferRefusedByTheConnectionScopeClosesTheConnection() throws Exception {
        // b's connections may hold 1 KiB: Netty's first read buffer (2 KiB) is refused.
        BaseLimit conn = TestNodes.base().conn().toBuilder().memory(1024).build();
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = nodes.start("b", TestNodes.limits(l -> l.conn(conn)));
            ExecutionException e = assertFailed(a.dial(b.listenAddress()));
            Reason reason = ((ConnectionRefusedException) e.getCause()).reason();
            assertEquals(ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED, reason.code());
            assertEquals("scope:conn", reason.key());
            assertEquals("memory", reason.resource());
            TestNodes.assertIdle(a, b);
        }
    }

    @Test
    void nodeCloseEndsEveryConnectionWithShutdown() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node b = Node.start(NodeConfig.builder().name("b").limits(TestNodes.base()).refusalSummary(null).build());
            PeerConnection conn = a.dial(b.listenAddress()).get(WAIT, TimeUnit.SECONDS);
            CompletableFuture<Exchanges.Result> held = Exchanges.slow(conn, Duration.ofSeconds(30));
            awaitTrue(() -> b.rcmgr().snapshot().protocol(Protocols.SLOW)
                    .map(s -> s.usage().streamsInbound() == 1).orElse(false), "a slow stream is held");
            b.close();
            assertEquals(ErrorCodes.CONN_SHUTDOWN, conn.closed().get(WAIT, TimeUnit.SECONDS).code());
            assertFailed(held);
            TestNodes.assertIdle(a);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static ExecutionException assertFailed(CompletableFuture<?> f) throws Exception {
        try {
            Object v = f.get(WAIT, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            Throwable cause = Exchanges.unwrap(e.getCause());
            return cause == e.getCause() ? e : new ExecutionException(cause);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    static ScopeSnapshot scope(ResourceSnapshot s, String name) {
        return s.scope(name).orElseThrow(() -> new AssertionError("no scope " + name));
    }
}
