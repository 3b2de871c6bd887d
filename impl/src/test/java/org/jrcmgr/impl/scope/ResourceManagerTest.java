package org.jrcmgr.impl.scope;

import static org.jrcmgr.impl.scope.ManagerFixtures.ENDPOINT;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertRefusedWithoutTrace;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertUsage;
import static org.jrcmgr.impl.scope.ManagerFixtures.limit;
import static org.jrcmgr.impl.scope.ManagerFixtures.refs;
import static org.jrcmgr.impl.scope.ManagerFixtures.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.scope.ManagerFixtures.Usage;
import org.junit.jupiter.api.Test;

/**
 * The port of go-libp2p's {@code TestResourceManager} (p2p/host/resource-manager/rcmgr_test.go):
 * one walk through the manager with tiny limits, checking after every step the usage and the
 * reference count of each scope involved.
 *
 * <p>As upstream, the peer, protocol and service checks look at the scope through the manager's
 * view, which holds a reference of its own while it runs: the counts below include it. The system
 * and transient views take no reference.
 */
class ResourceManagerTest extends ManagerFixtures.FreshManager {

    private final PeerId peerA = PeerId.random();
    private final PeerId peerB = PeerId.random();
    private final ProtocolId protoA = ProtocolId.of("/A");
    private final ProtocolId protoB = ProtocolId.of("/B");
    private final String svcA = "A.svc";
    private final String svcB = "B.svc";

    /** Upstream's limits, field for field; what go leaves at its zero value is block-all here too. */
    @Override
    ConcreteLimitConfig limits() {
        BaseLimit blockAll = BaseLimit.BLOCK_ALL;
        return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(limit(3, 3, 6, 3, 3, 6, 2, 16384))
                .transientLimit(limit(1, 1, 2, 1, 1, 2, 1, 4096))
                .allowlistedSystem(blockAll)
                .allowlistedTransient(blockAll)
                .serviceDefault(limit(1, 1, 2, 1, 1, 2, 1, 4096))
                .servicePeerDefault(limit(5, 5, 10, 0, 0, 0, 0, 4096))
                .service(svcA, limit(2, 2, 4, 2, 2, 4, 1, 8192))
                .service(svcB, limit(2, 2, 4, 2, 2, 4, 1, 8192))
                .servicePeer(svcB, limit(1, 1, 2, 0, 0, 0, 0, 8192))
                .protocolDefault(limit(1, 1, 2, 0, 0, 0, 0, 4096))
                .protocol(protoA, limit(2, 2, 2, 0, 0, 0, 0, 8192))
                .protocolPeer(protoB, limit(1, 1, 2, 0, 0, 0, 0, 8192))
                .peerDefault(limit(1, 1, 2, 1, 1, 2, 1, 4096))
                .protocolPeerDefault(limit(5, 5, 10, 0, 0, 0, 0, 4096))
                .peer(peerA, limit(2, 2, 4, 2, 2, 4, 1, 8192))
                .conn(limit(0, 0, 0, 1, 1, 1, 1, 4096))
                .stream(limit(1, 1, 1, 0, 0, 0, 0, 4096))
                .build();
    }

    // ---- checks, each through the manager's view of the scope ---------------------------------

    private void checkSystem(int refCount, Usage expected) {
        manager.viewSystem(s -> {
            assertEquals(refCount, refs(s), "reference count of system");
            assertUsage(expected, s);
            return null;
        });
    }

    private void checkTransient(int refCount, Usage expected) {
        manager.viewTransient(s -> {
            assertEquals(refCount, refs(s), "reference count of transient");
            assertUsage(expected, s);
            return null;
        });
    }

    private void checkPeer(PeerId peer, int refCount, Usage expected) {
        manager.viewPeer(peer, s -> {
            assertEquals(refCount, refs(s), () -> "reference count of " + s.name());
            assertUsage(expected, s);
            return null;
        });
    }

    private void checkProtocol(ProtocolId protocol, int refCount, Usage expected) {
        manager.viewProtocol(protocol, s -> {
            assertEquals(refCount, refs(s), () -> "reference count of " + s.name());
            assertUsage(expected, s);
            return null;
        });
    }

    private void checkService(String service, int refCount, Usage expected) {
        manager.viewService(service, s -> {
            assertEquals(refCount, refs(s), () -> "reference count of " + s.name());
            assertUsage(expected, s);
            return null;
        });
    }

    private static Usage none() {
        return usage();
    }

    private static Usage conns(long in, long fd) {
        return usage().connsIn(in).fd(fd);
    }

    private static Usage streams(long in) {
        return usage().streamsIn(in);
    }

    private static Usage streamsAndConns(long streamsIn, long connsIn, long fd) {
        return usage().streamsIn(streamsIn).connsIn(connsIn).fd(fd);
    }

    // ---- the walk ------------------------------------------------------------------------------

    @Test
    void walkThroughConnectionsStreamsProtocolsServicesAndCollection() {
        // A fresh manager: system is held by the manager and by transient's edge; transient by the manager.
        checkSystem(2, none());
        checkTransient(1, none());

        // --- connections in the transient scope -------------------------------------------------

        // An inbound connection holding a descriptor lands in transient (and system).
        ConnManagementScope conn = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
        checkSystem(3, conns(1, 1));
        checkTransient(2, conns(1, 1));

        // Transient admits one inbound connection: a second is refused, with or without a descriptor.
        ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                () -> manager.openConnection(Direction.INBOUND, true, ENDPOINT));
        assertEquals("transient", refusal.refusingScope());
        assertEquals(Resource.CONNS_INBOUND, refusal.resource());
        refusal = assertRefusedWithoutTrace(manager,
                () -> manager.openConnection(Direction.INBOUND, false, ENDPOINT));
        assertEquals("transient", refusal.refusingScope());

        // Closing the connection gives everything back.
        conn.done();
        checkSystem(2, none());
        checkTransient(1, none());

        // --- attaching connections to a peer ---------------------------------------------------

        ConnManagementScope conn1 = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
        checkSystem(3, conns(1, 1));
        checkTransient(2, conns(1, 1));
        assertTrue(conn1.peerScope().isEmpty(), "no peer scope before setPeer");

        // Attaching moves the connection from transient to the peer; system keeps counting it once,
        // and gains a reference from the new peer scope's edge.
        conn1.setPeer(peerA);
        assertEquals(peerA, conn1.peerScope().orElseThrow().peer());
        checkPeer(peerA, 2, conns(1, 1));
        checkSystem(4, conns(1, 1));
        checkTransient(1, none());

        // Transient has room again for a second connection.
        ConnManagementScope conn2 = manager.openConnection(Direction.INBOUND, true, ENDPOINT);
        checkSystem(5, conns(2, 2));
        checkTransient(2, conns(1, 1));

        // peerA admits one descriptor, which conn1 holds: conn2 cannot attach and stays in transient.
        refusal = assertRefusedWithoutTrace(manager, () -> conn2.setPeer(peerA));
        assertEquals("peer:" + peerA, refusal.refusingScope());
        assertEquals(Resource.FD, refusal.resource());
        assertTrue(conn2.peerScope().isEmpty(), "a refused setPeer leaves the peer unset");
        checkPeer(peerA, 2, conns(1, 1));
        checkSystem(5, conns(2, 2));
        checkTransient(2, conns(1, 1));

        // Reopened without a descriptor, the connection attaches.
        conn2.done();
        ConnManagementScope conn2b = manager.openConnection(Direction.INBOUND, false, ENDPOINT);
        checkSystem(5, conns(2, 1));
        checkTransient(2, conns(1, 0));

        conn2b.setPeer(peerA);
        checkPeer(peerA, 3, conns(2, 1));
        checkSystem(5, conns(2, 1));
        checkTransient(1, none());

        // --- streams in the transient scope -----------------------------------------------------

        StreamManagementScope stream = manager.openStream(peerA, Direction.INBOUND);
        checkPeer(peerA, 4, streamsAndConns(1, 2, 1));
        checkSystem(6, streamsAndConns(1, 2, 1));
        checkTransient(2, streams(1));

        // Transient admits one inbound stream: a second is refused.
        refusal = assertRefusedWithoutTrace(manager, () -> manager.openStream(peerA, Direction.INBOUND));
        assertEquals("transient", refusal.refusingScope());
        assertEquals(Resource.STREAMS_INBOUND, refusal.resource());

        stream.done();
        checkPeer(peerA, 3, conns(2, 1));
        checkSystem(5, conns(2, 1));
        checkTransient(1, none());

        // --- attaching streams to protocols -----------------------------------------------------

        StreamManagementScope stream1 = manager.openStream(peerA, Direction.INBOUND);
        checkPeer(peerA, 4, streamsAndConns(1, 2, 1));
        checkSystem(6, streamsAndConns(1, 2, 1));
        checkTransient(2, streams(1));
        assertTrue(stream1.protocolScope().isEmpty(), "no protocol scope before setProtocol");

        // The stream leaves transient for protoA; the protocol scope's edge adds a reference to system.
        stream1.setProtocol(protoA);
        assertEquals(protoA, stream1.protocolScope().orElseThrow().protocol());
        checkPeer(peerA, 4, streamsAndConns(1, 2, 1));
        checkProtocol(protoA, 2, streams(1));
        checkSystem(7, streamsAndConns(1, 2, 1));
        checkTransient(1, none());

        // With transient free again, a second stream opens and attaches to the same protocol.
        StreamManagementScope stream2 = manager.openStream(peerA, Direction.INBOUND);
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkSystem(8, streamsAndConns(2, 2, 1));
        checkTransient(2, streams(1));

        stream2.setProtocol(protoA);
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkProtocol(protoA, 3, streams(2));
        checkSystem(8, streamsAndConns(2, 2, 1));
        checkTransient(1, none());

        // A third stream, from peerB, opens (peerB's scope is new: one more reference to system)...
        StreamManagementScope stream3 = manager.openStream(peerB, Direction.INBOUND);
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkPeer(peerB, 2, streams(1));
        checkSystem(10, streamsAndConns(3, 2, 1));
        checkTransient(2, streams(1));

        // ...but protoA is full (two streams) and refuses it; it stays in transient.
        refusal = assertRefusedWithoutTrace(manager, () -> stream3.setProtocol(protoA));
        assertEquals("protocol:/A", refusal.refusingScope());
        assertEquals(Resource.STREAMS_INBOUND, refusal.resource());
        assertTrue(stream3.protocolScope().isEmpty(), "a refused setProtocol leaves the protocol unset");
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkPeer(peerB, 2, streams(1));
        checkProtocol(protoA, 3, streams(2));
        checkSystem(10, streamsAndConns(3, 2, 1));
        checkTransient(2, streams(1));

        // Another protocol still takes it.
        stream3.setProtocol(protoB);
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkPeer(peerB, 2, streams(1));
        checkProtocol(protoA, 3, streams(2));
        checkProtocol(protoB, 2, streams(1));
        checkSystem(11, streamsAndConns(3, 2, 1));
        checkTransient(1, none());

        // --- attaching streams to services ------------------------------------------------------

        assertTrue(stream1.serviceScope().isEmpty(), "no service scope before setService");

        // svcA admits two inbound streams: stream1 and stream2 attach, stream3 is refused.
        stream1.setService(svcA);
        assertEquals(svcA, stream1.serviceScope().orElseThrow().serviceName());
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkPeer(peerB, 2, streams(1));
        checkService(svcA, 2, streams(1));
        checkProtocol(protoA, 3, streams(2));
        checkProtocol(protoB, 2, streams(1));
        checkSystem(12, streamsAndConns(3, 2, 1));
        checkTransient(1, none());

        stream2.setService(svcA);
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkPeer(peerB, 2, streams(1));
        checkService(svcA, 3, streams(2));
        checkProtocol(protoA, 3, streams(2));
        checkProtocol(protoB, 2, streams(1));
        checkSystem(12, streamsAndConns(3, 2, 1));
        checkTransient(1, none());

        refusal = assertRefusedWithoutTrace(manager, () -> stream3.setService(svcA));
        assertEquals("service:" + svcA, refusal.refusingScope());
        assertEquals(Resource.STREAMS_INBOUND, refusal.resource());
        assertTrue(stream3.serviceScope().isEmpty(), "a refused setService leaves the service unset");
        checkPeer(peerA, 5, streamsAndConns(2, 2, 1));
        checkPeer(peerB, 2, streams(1));
        checkService(svcA, 3, streams(2));
        checkProtocol(protoA, 3, streams(2));
        checkProtocol(protoB, 2, streams(1));
        checkSystem(12, streamsAndConns(3, 2, 1));
        checkTransient(1, none());

        // --- releasing everything, then collecting idle scopes --------------------------------

        // Before: the manager holds both protocols and both peers, and the per-peer sub-scopes exist.
        assertNotNull(manager.protocolIfPresent(protoA), "protoA is stored");
        assertNotNull(manager.protocolIfPresent(protoB), "protoB is stored");
        assertNotNull(manager.peerIfPresent(peerA), "peerA is stored");
        assertNotNull(manager.peerIfPresent(peerB), "peerB is stored");
        assertNotNull(manager.protocolIfPresent(protoA).peers.get(peerA), "protoA's share of peerA exists");
        assertNotNull(manager.protocolIfPresent(protoB).peers.get(peerB), "protoB's share of peerB exists");
        assertNotNull(manager.serviceIfPresent(svcA).peers.get(peerA), "svcA's share of peerA exists");

        stream1.done();
        stream2.done();
        stream3.done();
        conn1.done();
        conn2b.done();

        // Only the views' own references remain on peers, protocols and the service; system is
        // still held by the manager, transient, both peers, both protocols and the service.
        checkPeer(peerA, 1, none());
        checkPeer(peerB, 1, none());
        checkService(svcA, 1, none());
        checkProtocol(protoA, 1, none());
        checkProtocol(protoB, 1, none());
        checkSystem(7, none());
        checkTransient(1, none());

        // Collection closes the idle peers and protocols; the service stays (services are never collected).
        manager.collect();
        checkSystem(3, none());
        checkTransient(1, none());
        assertNull(manager.protocolIfPresent(protoA), "protoA was collected");
        assertNull(manager.protocolIfPresent(protoB), "protoB was collected");
        assertNull(manager.peerIfPresent(peerA), "peerA was collected");
        assertNull(manager.peerIfPresent(peerB), "peerB was collected");
        assertNotNull(manager.serviceIfPresent(svcA), "services are kept");
        assertNull(manager.serviceIfPresent(svcA).peers.get(peerA), "svcA's share of the dead peerA was dropped");

        // --- the per-peer share of a protocol ---------------------------------------------------

        // A new peerA scope: system is held by the manager, transient, svcA, peerA and the stream.
        stream1 = manager.openStream(peerA, Direction.INBOUND);
        checkPeer(peerA, 2, streams(1));
        checkSystem(5, streams(1));
        checkTransient(2, streams(1));

        stream1.setProtocol(protoB);
        checkPeer(peerA, 2, streams(1));
        checkProtocol(protoB, 2, streams(1));
        checkSystem(6, streams(1));
        checkTransient(1, none());

        stream2 = manager.openStream(peerA, Direction.INBOUND);
        checkPeer(peerA, 3, streams(2));
        checkSystem(7, streams(2));
        checkTransient(2, streams(1));

        // protoB and protoB's share of peerA each admit one inbound stream, which stream1 holds.
        // (Upstream's limits make the protocol itself refuse first; the share alone is exercised by
        // protocolPeerLimitRefusesWhileTheProtocolHasRoom below.)
        StreamManagementScope secondOnB = stream2;
        refusal = assertRefusedWithoutTrace(manager, () -> secondOnB.setProtocol(protoB));
        assertEquals("protocol:/B", refusal.refusingScope());
        checkPeer(peerA, 3, streams(2));
        checkSystem(7, streams(2));
        checkTransient(2, streams(1));
        checkProtocol(protoB, 2, streams(1));

        stream1.done();
        stream2.done();

        // --- the per-peer share of a service ----------------------------------------------------

        // protoB is idle but not collected yet, so system counts it: manager, transient, svcA, protoB,
        // peerA and the stream.
        stream1 = manager.openStream(peerA, Direction.INBOUND);
        checkPeer(peerA, 2, streams(1));
        checkSystem(6, streams(1));
        checkTransient(2, streams(1));

        stream1.setProtocol(protoA);
        checkPeer(peerA, 2, streams(1));
        checkProtocol(protoA, 2, streams(1));
        checkSystem(7, streams(1));
        checkTransient(1, none());

        stream2 = manager.openStream(peerA, Direction.INBOUND);
        checkPeer(peerA, 3, streams(2));
        checkSystem(8, streams(2));
        checkTransient(2, streams(1));

        stream2.setProtocol(protoA);
        checkPeer(peerA, 3, streams(2));
        checkProtocol(protoA, 3, streams(2));
        checkSystem(8, streams(2));
        checkTransient(1, none());

        stream1.setService(svcB);
        checkPeer(peerA, 3, streams(2));
        checkService(svcB, 2, streams(1));
        checkProtocol(protoA, 3, streams(2));
        checkSystem(9, streams(2));
        checkTransient(1, none());

        // svcB has room for a second stream, but svcB's share of peerA admits only one.
        StreamManagementScope secondOnSvcB = stream2;
        refusal = assertRefusedWithoutTrace(manager, () -> secondOnSvcB.setService(svcB));
        assertEquals("service:" + svcB + ".peer:" + peerA, refusal.refusingScope());
        assertEquals(Resource.STREAMS_INBOUND, refusal.resource());
        // (Beyond upstream: the refusal kept no reference on svcB.)
        checkService(svcB, 2, streams(1));

        // Released and collected: peers, protocols and svcB's share of peerA are gone; system is held
        // by the manager, transient and the two services.
        stream1.done();
        stream2.done();
        manager.collect();
        checkSystem(4, none());
        checkTransient(1, none());
        assertNull(manager.protocolIfPresent(protoA), "protoA was collected");
        assertNull(manager.protocolIfPresent(protoB), "protoB was collected");
        assertNull(manager.peerIfPresent(peerA), "peerA was collected");
        assertTrue(manager.serviceIfPresent(svcB).peers.all().isEmpty(), "svcB's per-peer shares were collected");
    }

    /**
     * Upstream's walk cannot tell the protocol-peer limit from the protocol's own (both admit one
     * inbound stream for /B). Here the protocol has room and only peerA's share of it is full.
     */
    @Test
    void protocolPeerLimitRefusesWhileTheProtocolHasRoom() {
        manager.close();
        manager = new DefaultResourceManager(new FixedLimiter(limits().toBuilder()
                .transientLimit(limit(5, 5, 10, 1, 1, 2, 1, 4096))
                .protocol(protoB, limit(5, 5, 10, 0, 0, 0, 0, 8192))
                .build()), null);

        StreamManagementScope first = manager.openStream(peerA, Direction.INBOUND);
        first.setProtocol(protoB);
        StreamManagementScope second = manager.openStream(peerA, Direction.INBOUND);

        ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                () -> second.setProtocol(protoB));
        assertEquals("protocol:/B.peer:" + peerA, refusal.refusingScope());
        assertEquals(Resource.STREAMS_INBOUND, refusal.resource());
        assertEquals(1, refusal.current());
        assertEquals(1, refusal.requested());
        assertEquals(LimitValue.of(1), refusal.limit());
        // The refusal undid the protocol's share too, and dropped the references it took.
        checkProtocol(protoB, 2, streams(1));
        checkTransient(2, streams(1));

        // Another peer's share of the same protocol is separate.
        StreamManagementScope fromB = manager.openStream(peerB, Direction.INBOUND);
        fromB.setProtocol(protoB);
        checkProtocol(protoB, 3, streams(2));

        first.done();
        second.done();
        fromB.done();
        checkSystem(2 + 3, none()); // manager, transient, protoB, peerA, peerB
        manager.collect();
        checkSystem(2, none());
    }
}
