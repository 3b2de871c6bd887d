package org.jrcmgr.impl.scope;

import static org.jrcmgr.impl.scope.ManagerFixtures.ENDPOINT;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertRefusedWithoutTrace;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertSameBooks;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertThrowsWithoutTrace;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertUsage;
import static org.jrcmgr.impl.scope.ManagerFixtures.books;
import static org.jrcmgr.impl.scope.ManagerFixtures.limit;
import static org.jrcmgr.impl.scope.ManagerFixtures.refs;
import static org.jrcmgr.impl.scope.ManagerFixtures.usage;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.PeerScope;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ProtocolScope;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceScopeLimiter;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the manager promises beyond go-libp2p's own tests: refusals that leave no trace and say
 * exactly where and why, misuse reported as such, scopes that are done staying done, memory that
 * moves with a stream or connection, views, snapshots, and what the collector keeps.
 */
class ResourceManagerLifecycleTest extends ManagerFixtures.FreshManager {

    static final BaseLimit SYSTEM = limit(10, 10, 20, 10, 10, 20, 10, 1 << 20);
    static final BaseLimit TRANSIENT = limit(2, 2, 4, 1, 1, 2, 1, 64 << 10);
    static final BaseLimit PEER = limit(4, 4, 8, 2, 2, 4, 1, 32 << 10);
    static final BaseLimit PROTOCOL = limit(4, 4, 8, 0, 0, 0, 0, 16 << 10);
    static final BaseLimit PROTOCOL_PEER = limit(2, 2, 4, 0, 0, 0, 0, 8 << 10);
    static final BaseLimit SERVICE = limit(4, 4, 8, 0, 0, 0, 0, 16 << 10);
    static final BaseLimit SERVICE_PEER = limit(2, 2, 4, 0, 0, 0, 0, 8 << 10);
    static final BaseLimit CONN = limit(0, 0, 0, 1, 1, 1, 1, 4096);
    static final BaseLimit STREAM = limit(1, 1, 1, 0, 0, 0, 0, 4096);

    static final ProtocolId ECHO = ProtocolId.of("/echo/1.0.0");
    /** A protocol admitting a single inbound stream. */
    static final ProtocolId TIGHT_PROTOCOL = ProtocolId.of("/tight/1.0.0");
    static final String SVC = "svc";
    /** A service admitting a single inbound stream. */
    static final String TIGHT_SERVICE = "tight";

    final PeerId peer = PeerId.random();
    final PeerId otherPeer = PeerId.random();

    @Override
    ConcreteLimitConfig limits() {
        return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(SYSTEM)
                .transientLimit(TRANSIENT)
                .peerDefault(PEER)
                .protocolDefault(PROTOCOL)
                .protocol(TIGHT_PROTOCOL, limit(1, 1, 1, 0, 0, 0, 0, 16 << 10))
                .protocolPeerDefault(PROTOCOL_PEER)
                .serviceDefault(SERVICE)
                .service(TIGHT_SERVICE, limit(1, 1, 1, 0, 0, 0, 0, 16 << 10))
                .servicePeerDefault(SERVICE_PEER)
                .conn(CONN)
                .stream(STREAM)
                .build();
    }

    static void assertRefusal(ResourceLimitExceededException refusal, String path, String refusingScope,
                              Resource resource, long current, long requested, long limit) {
        assertEquals(path, refusal.path(), "path");
        assertEquals(refusingScope, refusal.refusingScope(), "refusing scope");
        assertEquals(resource, refusal.resource(), "resource");
        assertEquals(current, refusal.current(), "current");
        assertEquals(requested, refusal.requested(), "requested");
        assertEquals(LimitValue.of(limit), refusal.limit(), "limit");
        assertTrue(refusal.getMessage().startsWith(path), refusal::getMessage);
    }

    String peerName() {
        return "peer:" + peer;
    }

    ScopeStat usageOf(String scopeName) {
        return manager.snapshot().scope(scopeName).map(ScopeSnapshot::usage)
                .orElseThrow(() -> new AssertionError(scopeName + " is not in the snapshot"));
    }

    /** A stream of {@link #peer} attached to {@code protocol}. */
    StreamManagementScope streamOn(ProtocolId protocol) {
        StreamManagementScope stream = manager.openStream(peer, Direction.INBOUND);
        stream.setProtocol(protocol);
        return stream;
    }

    // =============================================================================================

    @Nested
    class Refusals {

        @Test
        void refusedConnectionLeavesNoTraceAndNamesTheFullScope() {
            ConnManagementScope first = manager.openConnection(Direction.INBOUND, true, ENDPOINT);

            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> manager.openConnection(Direction.INBOUND, false, ENDPOINT));
            assertRefusal(refusal, "system > transient > conn-2", "transient", Resource.CONNS_INBOUND, 1, 1, 1);

            // The descriptor is the last thing checked: an outbound connection has room, its descriptor not.
            refusal = assertRefusedWithoutTrace(manager,
                    () -> manager.openConnection(Direction.OUTBOUND, true, ENDPOINT));
            assertRefusal(refusal, "system > transient > conn-3", "transient", Resource.FD, 1, 1, 1);

            // The refused scopes are gone, not lingering as live connections.
            assertEquals(1, manager.snapshot().scopes(ScopeKind.CONNECTION).size());
            assertEquals("conn-1", manager.snapshot().scopes(ScopeKind.CONNECTION).get(0).name());

            first.done();
            assertDoesNotThrow(() -> manager.openConnection(Direction.INBOUND, true, ENDPOINT).done());
        }

        @Test
        void refusedStreamLeavesNoTraceWhetherTransientOrThePeerRefuses() {
            StreamManagementScope s1 = manager.openStream(peer, Direction.INBOUND);
            StreamManagementScope s2 = manager.openStream(peer, Direction.INBOUND);

            // Transient admits two inbound streams; the third is refused after the peer admitted it.
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> manager.openStream(peer, Direction.INBOUND));
            assertRefusal(refusal, "system > " + peerName() + " > stream-3", "transient",
                    Resource.STREAMS_INBOUND, 2, 1, 2);

            assertEquals(2, manager.snapshot().scopes(ScopeKind.STREAM).size(), "the refused stream is gone");

            // Once out of transient, the peer's own limit of four inbound streams is what refuses.
            s1.setProtocol(ECHO);
            s2.setProtocol(ProtocolId.of("/other/1.0.0"));
            StreamManagementScope s4 = manager.openStream(peer, Direction.INBOUND);
            StreamManagementScope s5 = manager.openStream(peer, Direction.INBOUND);
            refusal = assertRefusedWithoutTrace(manager, () -> manager.openStream(peer, Direction.INBOUND));
            assertRefusal(refusal, "system > " + peerName() + " > stream-6", "peer:" + peer,
                    Resource.STREAMS_INBOUND, 4, 1, 4);

            // Outbound streams are counted apart.
            assertRefusedWithoutTrace(manager, () -> manager.openStream(peer, Direction.INBOUND));
            StreamManagementScope out = manager.openStream(otherPeer, Direction.OUTBOUND);
            assertUsage(usage().streamsIn(2).streamsOut(1), manager.transientScope());

            for (StreamManagementScope s : new StreamManagementScope[] {s1, s2, s4, s5, out}) {
                s.done();
            }
            assertUsage(usage(), manager.system());
        }

        @Test
        void refusalBySystemIsUndoneInEveryScopeThatAdmittedItFirst() {
            manager.close();
            manager = new DefaultResourceManager(new FixedLimiter(limits().toBuilder()
                    .system(SYSTEM.toBuilder().streams(2, 2, 4).build())
                    .build()), null);
            StreamManagementScope s1 = streamOn(ECHO);
            StreamManagementScope s2 = streamOn(ECHO);

            // The stream itself, the peer and transient admit a third stream; system, last, does not.
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> manager.openStream(peer, Direction.INBOUND));
            assertRefusal(refusal, "system > " + peerName() + " > stream-3", "system", Resource.STREAMS_INBOUND,
                    2, 1, 2);
            assertUsage(usage().streamsIn(2), manager.peerIfPresent(peer));
            assertUsage(usage(), manager.transientScope());
            assertEquals(1, refs(manager.transientScope()), "the refused stream let go of transient");
            assertEquals(2, refs(manager.peerIfPresent(peer)), "and of the peer");
            s1.done();
            s2.done();
        }

        @Test
        void refusedSetPeerLeavesTheConnectionInTransientAndMayBeRetried() {
            ConnManagementScope holder = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
            holder.setPeer(peer);
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
            conn.reserveMemory(100, ReservationPriority.ALWAYS);

            // The peer admits one descriptor, which the first connection holds.
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager, () -> conn.setPeer(peer));
            assertRefusal(refusal, "system > transient > conn-2", "peer:" + peer, Resource.FD, 1, 1, 1);
            assertTrue(conn.peerScope().isEmpty());
            assertUsage(usage().connsIn(1).fd(1).memory(100), manager.transientScope());
            assertEquals(1, refs(manager.peerIfPresent(peer)), "the refused attachment kept no reference");

            // With the descriptor free, the same connection attaches.
            holder.done();
            conn.setPeer(peer);
            assertUsage(usage(), manager.transientScope());
            assertUsage(usage().connsIn(1).fd(1).memory(100), manager.peerIfPresent(peer));
            conn.done();
            assertUsage(usage(), manager.system());
        }

        @Test
        void refusedSetProtocolLeavesTheStreamInTransient() {
            // Refused by the protocol itself, the first scope asked.
            StreamManagementScope inTight = streamOn(TIGHT_PROTOCOL);
            StreamManagementScope second = manager.openStream(peer, Direction.INBOUND);
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> second.setProtocol(TIGHT_PROTOCOL));
            assertRefusal(refusal, "system > " + peerName() + " > stream-2", "protocol:/tight/1.0.0",
                    Resource.STREAMS_INBOUND, 1, 1, 1);
            assertTrue(second.protocolScope().isEmpty());
            assertEquals(1, refs(manager.protocolIfPresent(TIGHT_PROTOCOL)));
            inTight.done();
            second.done();

            // Refused by the protocol's share of the peer, after the protocol admitted it: undone there too.
            StreamManagementScope e1 = streamOn(ECHO);
            StreamManagementScope e2 = streamOn(ECHO);
            StreamManagementScope e3 = manager.openStream(peer, Direction.INBOUND);
            refusal = assertRefusedWithoutTrace(manager, () -> e3.setProtocol(ECHO));
            assertRefusal(refusal, "system > " + peerName() + " > stream-5", "protocol:/echo/1.0.0.peer:" + peer,
                    Resource.STREAMS_INBOUND, 2, 1, 2);
            assertUsage(usage().streamsIn(2), manager.protocolIfPresent(ECHO));
            assertEquals(2, refs(manager.protocolIfPresent(ECHO)));
            assertEquals(2, refs(manager.protocolIfPresent(ECHO).peers.get(peer)));
            assertUsage(usage().streamsIn(1), manager.transientScope());

            // Another protocol still takes it.
            e3.setProtocol(ProtocolId.of("/other/1.0.0"));
            assertUsage(usage(), manager.transientScope());
            e1.done();
            e2.done();
            e3.done();
            assertUsage(usage(), manager.system());
        }

        @Test
        void refusedSetServiceLeavesTheStreamAsItWas() {
            StreamManagementScope inTight = streamOn(ECHO);
            inTight.setService(TIGHT_SERVICE);
            StreamManagementScope second = streamOn(ECHO);
            second.reserveMemory(64, ReservationPriority.ALWAYS);

            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> second.setService(TIGHT_SERVICE));
            assertRefusal(refusal, "system > " + peerName() + " > stream-2", "service:" + TIGHT_SERVICE,
                    Resource.STREAMS_INBOUND, 1, 1, 1);
            assertTrue(second.serviceScope().isEmpty());
            assertEquals(1, refs(manager.serviceIfPresent(TIGHT_SERVICE)), "the refusal dropped the reference it took");
            assertEquals(1, refs(manager.serviceIfPresent(TIGHT_SERVICE).peers.get(peer)),
                    "the share was not even asked");

            // The share of the peer refuses after the service admitted it (two streams per peer).
            second.setService(SVC);
            StreamManagementScope third = manager.openStream(peer, Direction.INBOUND);
            third.setProtocol(ProtocolId.of("/other/1.0.0"));
            StreamManagementScope fourth = manager.openStream(peer, Direction.INBOUND);
            fourth.setProtocol(ProtocolId.of("/other/1.0.0"));
            third.setService(SVC);
            refusal = assertRefusedWithoutTrace(manager, () -> fourth.setService(SVC));
            assertRefusal(refusal, "system > " + peerName() + " > stream-4", "service:svc.peer:" + peer,
                    Resource.STREAMS_INBOUND, 2, 1, 2);
            assertUsage(usage().streamsIn(2).memory(64), manager.serviceIfPresent(SVC));
            assertEquals(2, refs(manager.serviceIfPresent(SVC)), "the refusal dropped the reference it took");
            assertEquals(2, refs(manager.serviceIfPresent(SVC).peers.get(peer)));
            assertTrue(fourth.serviceScope().isEmpty());

            for (StreamManagementScope s : new StreamManagementScope[] {inTight, second, third, fourth}) {
                s.done();
            }
            assertUsage(usage(), manager.system());
        }

        /** Thresholds of a 4096-byte limit per priority, as in go-libp2p's TestResources. */
        static Stream<Arguments> priorities() {
            return Stream.of(
                    Arguments.of(ReservationPriority.LOW, 1632, 6528),
                    Arguments.of(ReservationPriority.MEDIUM, 2448, 9792),
                    Arguments.of(ReservationPriority.HIGH, 3264, 13056),
                    Arguments.of(ReservationPriority.ALWAYS, 4096, 16384));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("priorities")
        void memoryRefusedByTheScopeItselfAtEachPriority(ReservationPriority priority, long streamThreshold,
                                                         long protocolThreshold) {
            StreamManagementScope stream = streamOn(ECHO);

            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> stream.reserveMemory(streamThreshold + 1, priority));
            assertRefusal(refusal, "system > " + peerName() + " > stream-1", "stream-1", Resource.MEMORY, 0,
                    streamThreshold + 1, 4096);
            assertSame(priority, refusal.priority());
            Map<String, ScopeSnapshot> before = books(manager);
            assertFalse(stream.tryReserveMemory(streamThreshold + 1, priority));
            assertSameBooks(before, books(manager));

            // Exactly the threshold fits; one byte more does not.
            stream.reserveMemory(streamThreshold, priority);
            refusal = assertRefusedWithoutTrace(manager, () -> stream.reserveMemory(1, priority));
            assertRefusal(refusal, "system > " + peerName() + " > stream-1", "stream-1", Resource.MEMORY,
                    streamThreshold, 1, 4096);
            stream.releaseMemory(streamThreshold);
            stream.done();
            assertUsage(usage(), manager.system());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("priorities")
        void memoryRefusedByAnAncestorAtEachPriorityIsUndoneInTheOthers(ReservationPriority priority,
                                                                        long streamThreshold,
                                                                        long protocolThreshold) {
            StreamManagementScope stream = streamOn(ECHO);
            // Fill the protocol (16 KiB) to 100 bytes under this priority's threshold.
            long prefill = protocolThreshold - 100;
            manager.viewProtocol(ECHO, p -> {
                p.reserveMemory(prefill, ReservationPriority.ALWAYS);
                return null;
            });

            // The stream, the peer and the protocol's share of the peer admit 200 bytes; the protocol,
            // third of the stream's edges, refuses them.
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> stream.reserveMemory(200, priority));
            assertRefusal(refusal, "system > " + peerName() + " > stream-1", "protocol:/echo/1.0.0",
                    Resource.MEMORY, prefill, 200, 16 << 10);
            assertSame(priority, refusal.priority());
            assertUsage(usage().streamsIn(1), manager.peerIfPresent(peer));
            assertUsage(usage().streamsIn(1), manager.protocolIfPresent(ECHO).peers.get(peer));

            stream.reserveMemory(100, priority);
            assertUsage(usage().streamsIn(1).memory(100), manager.peerIfPresent(peer));
            stream.done();
            manager.viewProtocol(ECHO, p -> {
                p.releaseMemory(prefill);
                return null;
            });
            assertUsage(usage(), manager.system());
        }

        @Test
        void memoryRefusedOnASpanNamesTheSpan() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, false, ENDPOINT);
            conn.setPeer(peer);
            ResourceScopeSpan span = conn.beginSpan();
            span.reserveMemory(4000, ReservationPriority.ALWAYS);

            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> span.reserveMemory(100, ReservationPriority.ALWAYS));
            assertRefusal(refusal, "system > " + peerName() + " > conn-1 > conn-1.span-1", "conn-1.span-1",
                    Resource.MEMORY, 4000, 100, 4096);
            span.done();
            conn.done();
            assertUsage(usage(), manager.system());
        }
    }

    // =============================================================================================

    @Nested
    class Misuse {

        @Test
        void setPeerTwiceIsAnIllegalState() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, false, ENDPOINT);
            conn.setPeer(peer);
            IllegalStateException e = assertThrowsWithoutTrace(manager, IllegalStateException.class,
                    () -> conn.setPeer(otherPeer));
            assertTrue(e.getMessage().contains("conn-1"), e::getMessage);
            assertTrue(e.getMessage().contains("already attached"), e::getMessage);
            assertEquals(peer, conn.peerScope().orElseThrow().peer());
            // Not even the same peer again.
            assertThrowsWithoutTrace(manager, IllegalStateException.class, () -> conn.setPeer(peer));
            assertEquals(1, refs(manager.peerIfPresent(peer)), "no reference was taken on the peer");
            assertNull(manager.peerIfPresent(otherPeer), "the refused peer was not even created");
            conn.done();
        }

        @Test
        void setProtocolTwiceIsAnIllegalState() {
            StreamManagementScope stream = streamOn(ECHO);
            IllegalStateException e = assertThrowsWithoutTrace(manager, IllegalStateException.class,
                    () -> stream.setProtocol(ProtocolId.of("/other/1.0.0")));
            assertTrue(e.getMessage().contains("stream-1"), e::getMessage);
            assertTrue(e.getMessage().contains("protocol:/echo/1.0.0"), e::getMessage);
            assertEquals(ECHO, stream.protocolScope().orElseThrow().protocol());
            assertNull(manager.protocolIfPresent(ProtocolId.of("/other/1.0.0")));
            assertEquals(1, refs(manager.protocolIfPresent(ECHO)));
            stream.done();
        }

        @Test
        void setServiceTwiceIsAnIllegalState() {
            StreamManagementScope stream = streamOn(ECHO);
            stream.setService(SVC);
            IllegalStateException e = assertThrowsWithoutTrace(manager, IllegalStateException.class,
                    () -> stream.setService("another"));
            assertTrue(e.getMessage().contains("stream-1"), e::getMessage);
            assertTrue(e.getMessage().contains("service:svc"), e::getMessage);
            assertThrowsWithoutTrace(manager, IllegalStateException.class, () -> stream.setService(SVC));
            assertNull(manager.serviceIfPresent("another"));
            assertEquals(1, refs(manager.serviceIfPresent(SVC)));
            stream.done();
        }

        @Test
        void setServiceBeforeSetProtocolIsAnIllegalState() {
            StreamManagementScope stream = manager.openStream(peer, Direction.INBOUND);
            IllegalStateException e = assertThrowsWithoutTrace(manager, IllegalStateException.class,
                    () -> stream.setService(SVC));
            assertTrue(e.getMessage().contains("stream-1"), e::getMessage);
            assertTrue(e.getMessage().contains("protocol"), e::getMessage);
            assertNull(manager.serviceIfPresent(SVC), "no service scope was created");
            assertTrue(stream.serviceScope().isEmpty());
            // The stream is intact and can still be attached properly.
            stream.setProtocol(ECHO);
            stream.setService(SVC);
            stream.done();
            assertUsage(usage(), manager.system());
        }

        @Test
        void negativeSizesAreRefusedAsArguments() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, false, ENDPOINT);
            conn.reserveMemory(100, ReservationPriority.ALWAYS);

            IllegalArgumentException e = assertThrowsWithoutTrace(manager, IllegalArgumentException.class,
                    () -> conn.reserveMemory(-1, ReservationPriority.ALWAYS));
            assertTrue(e.getMessage().contains("negative") && e.getMessage().contains("-1"), e::getMessage);
            e = assertThrowsWithoutTrace(manager, IllegalArgumentException.class,
                    () -> conn.tryReserveMemory(-5, ReservationPriority.LOW));
            assertTrue(e.getMessage().contains("negative") && e.getMessage().contains("-5"), e::getMessage);
            e = assertThrowsWithoutTrace(manager, IllegalArgumentException.class, () -> conn.releaseMemory(-7));
            assertTrue(e.getMessage().contains("negative") && e.getMessage().contains("-7"), e::getMessage);

            assertUsage(usage().connsIn(1).memory(100), conn);
            conn.done();
        }

        @Test
        void overReleaseIsRefusedAsAnArgument() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, false, ENDPOINT);
            conn.setPeer(peer);
            conn.reserveMemory(100, ReservationPriority.ALWAYS);

            IllegalArgumentException e = assertThrowsWithoutTrace(manager, IllegalArgumentException.class,
                    () -> conn.releaseMemory(101));
            assertTrue(e.getMessage().contains("conn-1"), e::getMessage);
            assertTrue(e.getMessage().contains("101") && e.getMessage().contains("100"), e::getMessage);

            // Bytes a span holds are the span's to give back, not the owner's.
            ResourceScopeSpan span = conn.beginSpan();
            span.reserveMemory(50, ReservationPriority.ALWAYS);
            assertUsage(usage().connsIn(1).memory(150), conn);
            assertThrowsWithoutTrace(manager, IllegalArgumentException.class, () -> conn.releaseMemory(150));
            assertThrowsWithoutTrace(manager, IllegalArgumentException.class, () -> span.releaseMemory(51));

            // A peer scope's users cannot release what its connections hold either.
            manager.viewPeer(peer, p -> assertThrowsWithoutTrace(manager, IllegalArgumentException.class,
                    () -> p.releaseMemory(1)));

            span.releaseMemory(50);
            conn.releaseMemory(100);
            assertUsage(usage().connsIn(1), manager.system());
            span.done();
            conn.done();
            assertUsage(usage(), manager.system());
        }
    }

    // =============================================================================================

    @Nested
    class UseAfterDone {

        @Test
        void aDoneConnectionRefusesEverythingAndReleasesNothingTwice() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
            conn.reserveMemory(300, ReservationPriority.ALWAYS);
            conn.done();

            assertTrue(conn.isDone());
            assertEquals(ScopeStat.ZERO, conn.stat());
            assertUsage(usage(), manager.transientScope());
            assertUsage(usage(), manager.system());
            assertEquals(1, refs(manager.transientScope()), "the connection's edge reference is gone");
            assertEquals(2, refs(manager.system()));

            ResourceScopeClosedException e = assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> conn.reserveMemory(1, ReservationPriority.ALWAYS));
            assertEquals("conn-1", e.scope());
            assertTrue(e.getMessage().contains("conn-1"), e::getMessage);
            assertFalse(conn.tryReserveMemory(1, ReservationPriority.ALWAYS));
            assertEquals("conn-1", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    conn::beginSpan).scope());
            assertEquals("conn-1", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> conn.setPeer(peer)).scope());
            assertNull(manager.peerIfPresent(peer), "no peer scope was created for a done connection");

            // Releases are no-ops, however much; done again is harmless.
            Map<String, ScopeSnapshot> before = books(manager);
            conn.releaseMemory(300);
            conn.releaseMemory(1_000_000);
            conn.done();
            conn.close();
            assertSameBooks(before, books(manager));
            assertEquals(1, refs(manager.transientScope()), "a second done drops no second reference");
            assertEquals(ScopeStat.ZERO, conn.stat());
        }

        @Test
        void aDoneStreamRefusesAttachmentAndReservation() {
            StreamManagementScope attached = streamOn(ECHO);
            StreamManagementScope bare = manager.openStream(peer, Direction.OUTBOUND);
            attached.reserveMemory(10, ReservationPriority.ALWAYS);
            attached.done();
            bare.done();

            assertEquals(ScopeStat.ZERO, attached.stat());
            assertEquals("stream-2", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> bare.setProtocol(ECHO)).scope());
            assertEquals("stream-1", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> attached.setService(SVC)).scope());
            assertEquals("stream-1", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> attached.reserveMemory(0, ReservationPriority.ALWAYS)).scope());
            assertEquals("stream-2", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    bare::beginSpan).scope());
            assertNull(manager.serviceIfPresent(SVC));

            attached.releaseMemory(10);
            attached.done();
            bare.done();
            assertUsage(usage(), manager.system());
            assertEquals(1, refs(manager.transientScope()));
            assertEquals(0, refs(manager.peerIfPresent(peer)));
            assertEquals(0, refs(manager.protocolIfPresent(ECHO)));
        }

        @Test
        void aDoneSpanRefusesAndItsOwnerKeepsWorking() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, false, ENDPOINT);
            assertEquals(0, refs(conn), "nothing refers to a bare connection");
            ResourceScopeSpan span = conn.beginSpan();
            assertEquals(1, refs(conn), "the span holds its owner");
            span.reserveMemory(200, ReservationPriority.ALWAYS);
            span.done();
            span.done();

            assertEquals(0, refs(conn), "the span let go of its owner, once");
            assertEquals(ScopeStat.ZERO, span.stat());
            assertUsage(usage().connsIn(1), conn);
            assertEquals("conn-1.span-1", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> span.reserveMemory(1, ReservationPriority.ALWAYS)).scope());
            assertEquals("conn-1.span-1", assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    span::beginSpan).scope());
            span.releaseMemory(200);
            assertUsage(usage().connsIn(1), manager.system());

            conn.reserveMemory(10, ReservationPriority.ALWAYS);
            conn.releaseMemory(10);
            conn.done();
        }

        @Test
        void aCollectedPeerScopeHeldByAViewCallerIsClosed() {
            PeerScope stale = manager.viewPeer(peer, p -> p);
            manager.collect();
            assertNull(manager.peerIfPresent(peer));

            ResourceScopeClosedException e = assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> stale.reserveMemory(1, ReservationPriority.ALWAYS));
            assertEquals(peerName(), e.scope());
            assertEquals(2, refs(manager.system()), "the collected peer let go of system");
        }

        @Test
        void aClosedManagerRefusesNewConnectionsAndStreams() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, false, ENDPOINT);
            StreamManagementScope stream = manager.openStream(peer, Direction.INBOUND);
            manager.close();

            assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> manager.openConnection(Direction.INBOUND, false, ENDPOINT));
            assertThrowsWithoutTrace(manager, ResourceScopeClosedException.class,
                    () -> manager.openStream(otherPeer, Direction.OUTBOUND));
            assertNull(manager.peerIfPresent(otherPeer), "no peer scope was created");

            // What was open keeps working and closes cleanly.
            conn.setPeer(peer);
            stream.setProtocol(ECHO);
            stream.reserveMemory(10, ReservationPriority.ALWAYS);
            stream.done();
            conn.done();
            assertUsage(usage(), manager.system());
            manager.close();
        }
    }

    // =============================================================================================

    @Nested
    class Transfers {

        @Test
        void memoryReservedOnAStreamMovesWithItsAttachments() {
            StreamManagementScope stream = manager.openStream(peer, Direction.INBOUND);
            stream.reserveMemory(1000, ReservationPriority.ALWAYS);
            ResourceScopeSpan span = stream.beginSpan();
            span.reserveMemory(24, ReservationPriority.ALWAYS);
            ScopeStat held = usage().streamsIn(1).memory(1024).stat();
            assertEquals(held, stream.stat());
            assertEquals(held, manager.transientScope().stat());
            assertEquals(held, manager.peerIfPresent(peer).stat());
            assertEquals(held, manager.system().stat());

            stream.setProtocol(ECHO);
            String share = "protocol:/echo/1.0.0.peer:" + peer;
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat(), "the stream left transient");
            assertEquals(held, manager.protocolIfPresent(ECHO).stat());
            assertEquals(held, manager.protocolIfPresent(ECHO).peers.get(peer).stat());
            assertEquals(held, usageOf(share));
            assertEquals(held, manager.peerIfPresent(peer).stat());
            assertEquals(held, manager.system().stat(), "system counts it once, throughout");

            stream.setService(SVC);
            assertEquals(held, manager.serviceIfPresent(SVC).stat());
            assertEquals(held, manager.serviceIfPresent(SVC).peers.get(peer).stat());
            assertEquals(held, manager.protocolIfPresent(ECHO).stat(), "a service is an addition, not a move");
            assertEquals(held, manager.system().stat());

            // Later reservations reach every scope the stream now hangs from, and so do releases.
            span.reserveMemory(76, ReservationPriority.ALWAYS);
            ScopeStat more = usage().streamsIn(1).memory(1100).stat();
            for (ResourceScope s : new ResourceScope[] {stream, manager.peerIfPresent(peer),
                    manager.protocolIfPresent(ECHO), manager.protocolIfPresent(ECHO).peers.get(peer),
                    manager.serviceIfPresent(SVC), manager.serviceIfPresent(SVC).peers.get(peer),
                    manager.system()}) {
                assertEquals(more, s.stat(), s.name());
            }
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat());
            span.done();
            stream.releaseMemory(1000);
            assertUsage(usage().streamsIn(1), manager.serviceIfPresent(SVC));

            stream.done();
            for (ScopeSnapshot s : manager.snapshot().scopes()) {
                assertEquals(ScopeStat.ZERO, s.usage(), s.name());
            }
        }

        @Test
        void memoryReservedOnAConnectionMovesToItsPeer() {
            ConnManagementScope conn = manager.openConnection(Direction.OUTBOUND, true, ENDPOINT);
            conn.reserveMemory(500, ReservationPriority.ALWAYS);
            ScopeStat held = usage().connsOut(1).fd(1).memory(500).stat();
            assertEquals(held, manager.transientScope().stat());

            conn.setPeer(peer);
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat());
            assertEquals(held, manager.peerIfPresent(peer).stat());
            assertEquals(held, manager.system().stat());

            conn.releaseMemory(500);
            assertUsage(usage().connsOut(1).fd(1), manager.peerIfPresent(peer));
            conn.done();
            assertUsage(usage(), manager.peerIfPresent(peer));
            assertUsage(usage(), manager.system());
        }
    }

    // =============================================================================================

    @Nested
    class Views {

        @Test
        void viewsReturnTheCallbacksValueAndLeaveReferencesAsTheyWere() {
            StreamManagementScope stream = streamOn(ECHO);
            stream.setService(SVC);
            int peerRefs = refs(manager.peerIfPresent(peer));
            int protocolRefs = refs(manager.protocolIfPresent(ECHO));
            int serviceRefs = refs(manager.serviceIfPresent(SVC));
            int systemRefs = refs(manager.system());
            assertEquals(1, peerRefs);

            assertEquals(peerRefs + 1, manager.viewPeer(peer, ManagerFixtures::refs), "the view holds the peer");
            assertEquals(peerName(), manager.viewPeer(peer, PeerScope::name));
            assertEquals(protocolRefs + 1, manager.viewProtocol(ECHO, ManagerFixtures::refs));
            assertEquals(ECHO, manager.viewProtocol(ECHO, ProtocolScope::protocol));
            assertEquals(serviceRefs + 1, manager.viewService(SVC, ManagerFixtures::refs));
            assertEquals("system", manager.viewSystem(ResourceScope::name));
            assertEquals("transient", manager.viewTransient(ResourceScope::name));
            assertEquals(usage().streamsIn(1).stat(), manager.viewSystem(ResourceScope::stat));

            assertEquals(peerRefs, refs(manager.peerIfPresent(peer)));
            assertEquals(protocolRefs, refs(manager.protocolIfPresent(ECHO)));
            assertEquals(serviceRefs, refs(manager.serviceIfPresent(SVC)));
            assertEquals(systemRefs, refs(manager.system()));

            // A callback that throws lets go too.
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> manager.viewPeer(peer, p -> {
                throw boom;
            })));
            assertEquals(peerRefs, refs(manager.peerIfPresent(peer)));
            stream.done();
        }

        @Test
        void viewingAnUnknownPeerCreatesAnIdleScopeTheCollectorRemoves() {
            assertNull(manager.peerIfPresent(otherPeer));
            assertEquals(ScopeStat.ZERO, manager.viewPeer(otherPeer, PeerScope::stat));
            assertEquals(0, refs(manager.peerIfPresent(otherPeer)));
            assertEquals(3, refs(manager.system()), "the new peer's edge holds system");
            assertNull(manager.viewProtocol(ECHO, p -> null), "a null result is passed through");
            assertEquals(0, refs(manager.protocolIfPresent(ECHO)));

            manager.collect();
            assertNull(manager.peerIfPresent(otherPeer));
            assertNull(manager.protocolIfPresent(ECHO));
            assertEquals(2, refs(manager.system()));
        }
    }

    // =============================================================================================

    @Nested
    class Snapshots {

        @Test
        void snapshotShowsEveryLiveScopeWithUsageLimitPathAndPeak() {
            ConnManagementScope conn = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
            conn.setPeer(peer);
            conn.reserveMemory(3000, ReservationPriority.ALWAYS);
            conn.releaseMemory(2500);
            StreamManagementScope stream = streamOn(ECHO);
            ResourceScopeSpan span = stream.beginSpan();
            span.reserveMemory(64, ReservationPriority.ALWAYS);

            ResourceSnapshot snap = manager.snapshot();
            assertNotNull(snap.takenAt());
            assertEquals("system", snap.scopes().get(0).name(), "system comes first");

            ScopeSnapshot system = snap.scope("system").orElseThrow();
            assertEquals("system", system.path());
            assertEquals(ScopeKind.SYSTEM, system.kind());
            assertEquals(SYSTEM, system.limit());
            assertEquals(usage().streamsIn(1).connsIn(1).fd(1).memory(564).stat(), system.usage());
            assertEquals(usage().streamsIn(1).connsIn(1).fd(1).memory(3000).stat(), system.peak());

            ScopeSnapshot trans = snap.scope("transient").orElseThrow();
            assertEquals("system > transient", trans.path());
            assertEquals(ScopeKind.TRANSIENT, trans.kind());
            assertEquals(TRANSIENT, trans.limit());
            assertEquals(ScopeStat.ZERO, trans.usage());
            assertEquals(usage().streamsIn(1).connsIn(1).fd(1).stat(), trans.peak(),
                    "transient held the connection and the stream before they moved on");

            ScopeSnapshot c = snap.scope("conn-1").orElseThrow();
            assertEquals("system > " + peerName() + " > conn-1", c.path());
            assertEquals(ScopeKind.CONNECTION, c.kind());
            assertEquals(CONN, c.limit());
            assertEquals(usage().connsIn(1).fd(1).memory(500).stat(), c.usage());
            assertEquals(usage().connsIn(1).fd(1).memory(3000).stat(), c.peak(), "the peak survives the release");
            assertEquals(4096 - 500, c.headroom(Resource.MEMORY));

            ScopeSnapshot p = snap.scope(peerName()).orElseThrow();
            assertEquals("system > " + peerName(), p.path());
            assertEquals(ScopeKind.PEER, p.kind());
            assertEquals(PEER, p.limit());
            assertEquals(usage().streamsIn(1).connsIn(1).fd(1).memory(564).stat(), p.usage());
            assertEquals(3000, p.peak().memory());

            ScopeSnapshot s = snap.scope("stream-1").orElseThrow();
            assertEquals("system > " + peerName() + " > stream-1", s.path());
            assertEquals(ScopeKind.STREAM, s.kind());
            assertEquals(STREAM, s.limit());
            assertEquals(usage().streamsIn(1).memory(64).stat(), s.usage());

            ScopeSnapshot sp = snap.scope("stream-1.span-1").orElseThrow();
            assertEquals("system > " + peerName() + " > stream-1 > stream-1.span-1", sp.path());
            assertEquals(ScopeKind.SPAN, sp.kind());
            assertEquals(usage().memory(64).stat(), sp.usage());

            ScopeSnapshot proto = snap.scope("protocol:/echo/1.0.0").orElseThrow();
            assertEquals("system > protocol:/echo/1.0.0", proto.path());
            assertEquals(ScopeKind.PROTOCOL, proto.kind());
            assertEquals(PROTOCOL, proto.limit());
            assertEquals(usage().streamsIn(1).memory(64).stat(), proto.usage());

            ScopeSnapshot share = snap.scope("protocol:/echo/1.0.0.peer:" + peer).orElseThrow();
            assertEquals("system > protocol:/echo/1.0.0 > protocol:/echo/1.0.0.peer:" + peer, share.path());
            assertEquals(ScopeKind.PROTOCOL_PEER, share.kind());
            assertEquals(PROTOCOL_PEER, share.limit());
            assertEquals(usage().streamsIn(1).memory(64).stat(), share.usage());

            // Done scopes leave the snapshot; the long-lived ones keep their peaks.
            span.done();
            stream.done();
            conn.done();
            snap = manager.snapshot();
            assertTrue(snap.scope("conn-1").isEmpty());
            assertTrue(snap.scope("stream-1").isEmpty());
            assertTrue(snap.scope("stream-1.span-1").isEmpty());
            assertEquals(ScopeStat.ZERO, snap.scope("system").orElseThrow().usage());
            assertEquals(usage().streamsIn(1).connsIn(1).fd(1).memory(3000).stat(),
                    snap.scope("system").orElseThrow().peak());
            assertEquals(3000, snap.scope(peerName()).orElseThrow().peak().memory());
        }
    }

    // =============================================================================================

    @Nested
    class Collection {

        @Test
        void aPeerWhoseLimitWasSetIsKeptWhileAnIdleOneIsCollected() {
            BaseLimit custom = limit(1, 1, 1, 1, 1, 1, 1, 1024);
            manager.viewPeer(peer, p -> {
                ((ResourceScopeLimiter) p).setLimit(custom);
                return null;
            });
            manager.viewPeer(otherPeer, p -> null);
            assertNotNull(manager.peerIfPresent(otherPeer));

            manager.collect();
            assertNotNull(manager.peerIfPresent(peer), "the sticky peer survives");
            assertSame(custom, manager.peerIfPresent(peer).limit(), "with its custom limit");
            assertNull(manager.peerIfPresent(otherPeer), "the idle peer is collected");

            // The custom limit is the one enforced.
            StreamManagementScope s1 = manager.openStream(peer, Direction.INBOUND);
            s1.setProtocol(ECHO);
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> manager.openStream(peer, Direction.INBOUND));
            assertEquals(peerName(), refusal.refusingScope());
            s1.done();
            manager.collect();
            assertNotNull(manager.peerIfPresent(peer), "still there after it was used and fell idle");
        }

        @Test
        void aProtocolWhoseLimitWasSetIsKept() {
            BaseLimit custom = limit(1, 1, 1, 0, 0, 0, 0, 1024);
            manager.viewProtocol(ECHO, p -> {
                ((ResourceScopeLimiter) p).setLimit(custom);
                return null;
            });
            manager.viewProtocol(TIGHT_PROTOCOL, p -> null);
            manager.collect();
            assertSame(custom, manager.protocolIfPresent(ECHO).limit());
            assertNull(manager.protocolIfPresent(TIGHT_PROTOCOL));
        }

        @Test
        void aPeerHoldingOnlyMemoryIsCollectedAndItsMemoryReleased() {
            manager.viewPeer(peer, p -> {
                p.reserveMemory(2048, ReservationPriority.ALWAYS);
                return null;
            });
            assertUsage(usage().memory(2048), manager.peerIfPresent(peer));
            assertUsage(usage().memory(2048), manager.system());
            assertEquals(0, refs(manager.peerIfPresent(peer)));

            // go-libp2p's isUnused ignores memory: nothing refers to the peer, so it goes.
            manager.collect();
            assertNull(manager.peerIfPresent(peer));
            assertUsage(usage(), manager.system());
            assertEquals(2, refs(manager.system()));
        }

        @Test
        void aPeerInUseIsKeptAndSoAreItsShares() {
            StreamManagementScope stream = streamOn(ECHO);
            stream.setService(SVC);
            manager.collect();
            assertNotNull(manager.peerIfPresent(peer));
            assertNotNull(manager.protocolIfPresent(ECHO));
            assertNotNull(manager.protocolIfPresent(ECHO).peers.get(peer));
            assertNotNull(manager.serviceIfPresent(SVC).peers.get(peer));

            stream.done();
            manager.collect();
            assertNull(manager.peerIfPresent(peer));
            assertNull(manager.protocolIfPresent(ECHO));
            assertNull(manager.serviceIfPresent(SVC).peers.get(peer), "the dead peer's service share is dropped");
            assertNotNull(manager.serviceIfPresent(SVC), "services stay");
            assertEquals(3, refs(manager.system()), "manager, transient and the service");
        }

        @Test
        void aProtocolThatStaysDropsTheShareOfACollectedPeer() {
            StreamManagementScope mine = streamOn(ECHO);
            StreamManagementScope theirs = manager.openStream(otherPeer, Direction.INBOUND);
            theirs.setProtocol(ECHO);
            mine.done();

            manager.collect();
            assertNull(manager.peerIfPresent(peer), "the idle peer is collected");
            ProtocolScopeImpl echo = manager.protocolIfPresent(ECHO);
            assertNotNull(echo, "the protocol is still in use");
            assertNull(echo.peers.get(peer), "its share of the collected peer is dropped");
            assertNotNull(echo.peers.get(otherPeer), "its share of the live peer stays");
            assertUsage(usage().streamsIn(1), echo.peers.get(otherPeer));
            assertTrue(manager.snapshot().scope("protocol:/echo/1.0.0.peer:" + peer).isEmpty());

            theirs.done();
            manager.collect();
            assertNull(manager.protocolIfPresent(ECHO));
            assertEquals(2, refs(manager.system()));
        }
    }
}
