package org.jrcmgr.impl.scope;

import static org.jrcmgr.impl.scope.ManagerFixtures.assertRefusedWithoutTrace;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertThrowsWithoutTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.EndpointRefusedException;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The allowlist as the manager uses it: ports of go-libp2p's {@code TestResourceManagerWithAllowlist}
 * and {@code TestAllowlistAndConnLimiterPlayNice} (p2p/host/resource-manager/rcmgr_test.go), and
 * what they leave out: the move of a connection whose peer is not allowlisted, runtime changes, and
 * how the allowlisted fallback and the per-address limiter share (or do not share) address slots.
 *
 * <p>The connection rate limiter is off in these tests unless a test is about it: go's default
 * (16 per address at once) would otherwise refuse some of the many connections opened here.
 */
class AllowlistManagerTest {

    private final PeerId peerA = PeerId.random();
    private final PeerId peerB = PeerId.random();
    private final List<DefaultResourceManager> managers = new ArrayList<>();

    @AfterEach
    void closeManagers() {
        managers.forEach(DefaultResourceManager::close);
    }

    private DefaultResourceManager manager(ManagerConfig config) {
        DefaultResourceManager manager = new DefaultResourceManager(config);
        managers.add(manager);
        return manager;
    }

    private static ManagerConfig config(ConcreteLimitConfig limits) {
        return ManagerConfig.of(new FixedLimiter(limits)).withConnRateLimits(ConnRateLimiterConfig.unlimited());
    }

    /** Everything unlimited but the connection limits: {@code in}, {@code out} and {@code total}. */
    private static BaseLimit conns(long in, long out, long total) {
        return BaseLimit.UNLIMITED.toBuilder().conns(LimitValue.of(in), LimitValue.of(out), LimitValue.of(total))
                .build();
    }

    /** Everything unlimited but the total connection count. */
    private static BaseLimit conns(long total) {
        return BaseLimit.UNLIMITED.toBuilder()
                .conns(LimitValue.unlimited(), LimitValue.unlimited(), LimitValue.of(total)).build();
    }

    private static Multiaddr addr(String text) {
        return Multiaddr.parse(text);
    }

    private static ScopeStat inbound(long conns, long fd) {
        return new ScopeStat(0, 0, conns, 0, fd, 0);
    }

    private static InetSocketAddress socket(String literal) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), 4001);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static ConnManagementScope open(DefaultResourceManager manager, String endpoint) {
        return manager.openConnection(Direction.INBOUND, true, addr(endpoint));
    }

    private static EndpointRefusedException assertPerAddressRefusal(DefaultResourceManager manager, String endpoint) {
        EndpointRefusedException refusal = assertThrowsWithoutTrace(manager, EndpointRefusedException.class,
                () -> open(manager, endpoint));
        assertEquals(EndpointRefusedException.Reason.CONNECTIONS_PER_ADDRESS, refusal.reason());
        assertEquals(addr(endpoint), refusal.endpoint());
        return refusal;
    }

    private static List<ConnManagementScope> openMany(DefaultResourceManager manager, String endpoint, int n) {
        List<ConnManagementScope> conns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            conns.add(open(manager, endpoint));
        }
        return conns;
    }

    private static void assertAllTopScopesEmpty(DefaultResourceManager manager) {
        for (PlainScope scope : List.of(manager.system(), manager.transientScope(), manager.allowlistedSystem(),
                manager.allowlistedTransient())) {
            assertEquals(ScopeStat.ZERO, scope.stat(), () -> "usage of " + scope.name());
        }
    }

    // ---- go's TestResourceManagerWithAllowlist ---------------------------------------------------

    @Nested
    class WithAllowlist {

        /**
         * go's limits: no connection at all in the ordinary system and transient scopes; the
         * allowlisted system admits 2 (2 inbound, 1 outbound), the allowlisted transient 1.
         */
        private ConcreteLimitConfig limits() {
            return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                    .system(conns(0))
                    .transientLimit(conns(0))
                    .allowlistedSystem(conns(2, 1, 2))
                    .allowlistedTransient(conns(1, 1, 1))
                    .build();
        }

        @Test
        void walkThroughUpstreamScenarioAndBeyond() {
            Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/1.2.3.4"), addr("/ip4/4.3.2.1/p2p/" + peerA)));
            AddressLimitsTest.RecordingObserver observer = new AddressLimitsTest.RecordingObserver();
            DefaultResourceManager manager = manager(config(limits()).withAllowlist(allowlist).withObserver(observer));
            // go's GetAllowlist: the manager consults the very allowlist it was given.
            assertSame(allowlist, manager.allowlist());
            int systemRefs = manager.system().refCount();
            int allowlistedSystemRefs = manager.allowlistedSystem().refCount();
            assertEquals(2, allowlistedSystemRefs, "own reference + the allowlisted transient's edge");
            assertEquals(1, manager.allowlistedTransient().refCount());

            // A connection from an address not in the allowlist: the ordinary scopes have no room.
            ResourceLimitExceededException refused = assertRefusedWithoutTrace(manager,
                    () -> open(manager, "/ip4/1.2.3.5"));
            assertEquals("transient", refused.refusingScope());
            assertEquals(1, observer.connBlocked.get());

            // From an allowlisted address: admitted into the allowlisted scopes; any peer attaches.
            ConnManagementScope conn1 = open(manager, "/ip4/1.2.3.4");
            assertTrue(((ConnScopeImpl) conn1).isAllowlisted());
            assertEquals(1, observer.connAllowed.get(), "the fallback is part of one admission");
            assertEquals(1, observer.connBlocked.get());
            assertEquals(inbound(1, 1), manager.allowlistedTransient().stat());
            assertEquals(inbound(1, 1), manager.allowlistedSystem().stat());
            assertEquals(ScopeStat.ZERO, manager.system().stat());
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat());
            PeerId anyPeer = PeerId.random();
            conn1.setPeer(anyPeer);
            assertTrue(((ConnScopeImpl) conn1).isAllowlisted());
            assertEquals(ScopeStat.ZERO, manager.allowlistedTransient().stat());
            assertEquals(inbound(1, 1), manager.allowlistedSystem().stat());
            assertEquals(inbound(1, 1), manager.peerIfPresent(anyPeer).stat());
            assertEquals(ScopeStat.ZERO, manager.system().stat(), "the peer's connection counts in allowlistedSystem");
            assertEquals(1, manager.allowlistedTransient().refCount());

            // From an address allowlisted for peerA only, but another peer: setPeer moves the
            // connection to the ordinary scopes, which have no room. It is then attached to nothing.
            ConnManagementScope conn2 = open(manager, "/ip4/4.3.2.1");
            assertTrue(((ConnScopeImpl) conn2).isAllowlisted());
            assertEquals(inbound(2, 2), manager.allowlistedSystem().stat());
            PeerId wrongPeer = PeerId.random();
            ResourceLimitExceededException moveRefused = assertThrows(ResourceLimitExceededException.class,
                    () -> conn2.setPeer(wrongPeer));
            // The connection is now counted nowhere but in itself: the allowlisted scopes gave it
            // back, and the ordinary ones took nothing.
            assertEquals("system", moveRefused.refusingScope());
            assertEquals(Resource.CONNS, moveRefused.resource());
            assertFalse(((ConnScopeImpl) conn2).isAllowlisted());
            assertEquals(0, ((ConnScopeImpl) conn2).edges().length, "attached to nothing");
            assertTrue(conn2.peerScope().isEmpty());
            assertNull(manager.peerIfPresent(wrongPeer), "no peer scope was made for the refused peer");
            assertEquals(inbound(1, 1), conn2.stat(), "the connection still holds its own counts");
            assertEquals(inbound(1, 1), manager.allowlistedSystem().stat());
            assertEquals(ScopeStat.ZERO, manager.allowlistedTransient().stat());
            assertEquals(ScopeStat.ZERO, manager.system().stat());
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat());
            assertEquals(1, manager.allowlistedTransient().refCount());
            assertEquals(systemRefs + 1, manager.system().refCount(), "only anyPeer's scope refers to system");
            assertEquals(1, manager.transientScope().refCount());
            // It cannot be attached any more, not even to the allowlisted peer; closing it is clean.
            assertThrowsWithoutTrace(manager, IllegalStateException.class, () -> conn2.setPeer(peerA));
            conn2.done();
            conn2.done();
            assertTrue(conn2.isDone());
            assertEquals(inbound(1, 1), manager.allowlistedSystem().stat());
            assertEquals(ScopeStat.ZERO, manager.system().stat());
            assertEquals(allowlistedSystemRefs + 1, manager.allowlistedSystem().refCount(), "conn1's edge only");
            assertEquals(systemRefs + 1, manager.system().refCount());

            // The same address with the allowlisted peer: stays in the allowlisted scopes.
            ConnManagementScope conn3 = open(manager, "/ip4/4.3.2.1");
            conn3.setPeer(peerA);
            assertTrue(((ConnScopeImpl) conn3).isAllowlisted());
            assertEquals(inbound(2, 2), manager.allowlistedSystem().stat());
            assertEquals(ScopeStat.ZERO, manager.allowlistedTransient().stat());
            assertEquals(inbound(1, 1), manager.peerIfPresent(peerA).stat());

            // The allowlisted system is full now (2): the fallback refuses, and that refusal is the one reported.
            ResourceLimitExceededException full = assertRefusedWithoutTrace(manager,
                    () -> open(manager, "/ip4/1.2.3.4"));
            assertEquals("allowlistedSystem", full.refusingScope());

            // ---- beyond go: entries added and removed while the manager runs take effect at once
            conn1.done();
            assertTrue(allowlist.remove(addr("/ip4/1.2.3.4")));
            assertEquals("transient",
                    assertRefusedWithoutTrace(manager, () -> open(manager, "/ip4/1.2.3.4")).refusingScope());
            allowlist.add(addr("/ip4/1.2.3.5"));
            ConnManagementScope conn4 = open(manager, "/ip4/1.2.3.5");
            assertTrue(((ConnScopeImpl) conn4).isAllowlisted());
            conn4.setPeer(PeerId.random());
            conn4.done();
            allowlist.add(addr("/ip4/7.7.7.0/ipcidr/24/p2p/" + peerB));
            ConnManagementScope conn5 = open(manager, "/ip4/7.7.7.7/tcp/4001");
            assertThrows(ResourceLimitExceededException.class, () -> conn5.setPeer(peerA));
            assertEquals(0, ((ConnScopeImpl) conn5).edges().length);
            conn5.done();
            ConnManagementScope conn6 = open(manager, "/ip4/7.7.7.8/udp/4001/quic-v1");
            conn6.setPeer(peerB);
            assertTrue(((ConnScopeImpl) conn6).isAllowlisted());
            assertTrue(allowlist.remove(addr("/ip4/7.7.7.0/ipcidr/24/p2p/" + peerB)));
            assertRefusedWithoutTrace(manager, () -> open(manager, "/ip4/7.7.7.7"));
            // Removing an entry does not evict the connections it admitted.
            assertTrue(((ConnScopeImpl) conn6).isAllowlisted());
            assertEquals(inbound(2, 2), manager.allowlistedSystem().stat());

            conn3.done();
            conn6.done();
            manager.collect();
            assertAllTopScopesEmpty(manager);
            assertEquals(systemRefs, manager.system().refCount());
            assertEquals(allowlistedSystemRefs, manager.allowlistedSystem().refCount());
            assertEquals(1, manager.allowlistedTransient().refCount());
            assertEquals(1, manager.transientScope().refCount());
        }

        @Test
        void wrongPeerMovesTheConnectionWithItsMemoryWhenTheOrdinaryScopesHaveRoom() {
            ConcreteLimitConfig limits = ConcreteLimitConfig.builder(limits())
                    .system(conns(10)).transientLimit(conns(0)).build();
            Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/4.3.2.1/p2p/" + peerA)));
            DefaultResourceManager manager = manager(config(limits).withAllowlist(allowlist));
            // Transient is full from the start: only the allowlist admits the connection.
            ConnManagementScope conn = open(manager, "/ip4/4.3.2.1");
            assertTrue(((ConnScopeImpl) conn).isAllowlisted());
            conn.reserveMemory(1024, ReservationPriority.HIGH);
            assertEquals(new ScopeStat(0, 0, 1, 0, 1, 1024), manager.allowlistedSystem().stat());
            // The move needs room in transient as well, so it fails...
            ResourceLimitExceededException refused = assertThrows(ResourceLimitExceededException.class,
                    () -> conn.setPeer(peerB));
            assertEquals("transient", refused.refusingScope());
            assertEquals(ScopeStat.ZERO, manager.system().stat(), "system gave back what it took for the move");
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat());
            assertEquals(ScopeStat.ZERO, manager.allowlistedSystem().stat());
            conn.done();

            // ...and succeeds once transient has room; the memory moves with the connection.
            manager.transientScope().setLimit(conns(10));
            ConnManagementScope moved = open(manager, "/ip4/4.3.2.1");
            assertFalse(((ConnScopeImpl) moved).isAllowlisted(), "ordinary scopes have room now");
            moved.done();
            manager.transientScope().setLimit(conns(0));
            ConnManagementScope conn2 = open(manager, "/ip4/4.3.2.1");
            assertTrue(((ConnScopeImpl) conn2).isAllowlisted());
            conn2.reserveMemory(2048, ReservationPriority.HIGH);
            manager.transientScope().setLimit(conns(10));
            conn2.setPeer(peerB);
            assertFalse(((ConnScopeImpl) conn2).isAllowlisted());
            ScopeStat held = new ScopeStat(0, 0, 1, 0, 1, 2048);
            assertEquals(held, manager.system().stat());
            assertEquals(held, manager.peerIfPresent(peerB).stat());
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat());
            assertEquals(ScopeStat.ZERO, manager.allowlistedSystem().stat());
            assertEquals(ScopeStat.ZERO, manager.allowlistedTransient().stat());
            conn2.releaseMemory(2048);
            conn2.done();
            assertAllTopScopesEmpty(manager);
        }

        @Test
        void allowedPeerRefusedByItsPeerScopeStaysAllowlistedAndMayRetry() {
            ConcreteLimitConfig limits = ConcreteLimitConfig.builder(limits()).peer(peerB, conns(0)).build();
            Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/1.2.3.4")));
            DefaultResourceManager manager = manager(config(limits).withAllowlist(allowlist));
            ConnManagementScope conn = open(manager, "/ip4/1.2.3.4");
            ResourceLimitExceededException refusal = assertThrowsWithoutTrace(manager,
                    ResourceLimitExceededException.class, () -> conn.setPeer(peerB));
            assertEquals("peer:" + peerB.toBase58(), refusal.refusingScope());
            assertTrue(((ConnScopeImpl) conn).isAllowlisted());
            assertEquals(inbound(1, 1), manager.allowlistedTransient().stat());
            assertTrue(conn.peerScope().isEmpty());
            conn.setPeer(peerA);
            assertTrue(((ConnScopeImpl) conn).isAllowlisted());
            assertEquals(ScopeStat.ZERO, manager.allowlistedTransient().stat());
            assertEquals(inbound(1, 1), manager.allowlistedSystem().stat());
            assertEquals(inbound(1, 1), manager.peerIfPresent(peerA).stat());
            conn.done();
            assertAllTopScopesEmpty(manager);
        }

        @Test
        void wrongPeerRefusedByItsPeerScopeStaysInTransientAndMayRetry() {
            ConcreteLimitConfig limits = ConcreteLimitConfig.builder(limits())
                    .system(conns(10)).transientLimit(conns(10)).allowlistedSystem(conns(10))
                    .allowlistedTransient(conns(10))
                    .peer(peerB, conns(0))
                    .build();
            // Everything has room, so use a full transient to get the connection into the allowlist first.
            Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/4.3.2.1/p2p/" + peerA)));
            DefaultResourceManager manager = manager(config(limits).withAllowlist(allowlist));
            manager.transientScope().setLimit(conns(0));
            ConnManagementScope conn = open(manager, "/ip4/4.3.2.1");
            assertTrue(((ConnScopeImpl) conn).isAllowlisted());
            manager.transientScope().setLimit(conns(10));
            // peerB's scope refuses: go leaves the connection in the (ordinary) transient scope.
            ResourceLimitExceededException refusal = assertThrows(ResourceLimitExceededException.class,
                    () -> conn.setPeer(peerB));
            assertEquals("peer:" + peerB.toBase58(), refusal.refusingScope());
            assertFalse(((ConnScopeImpl) conn).isAllowlisted());
            assertEquals(inbound(1, 1), manager.transientScope().stat());
            assertEquals(inbound(1, 1), manager.system().stat());
            assertEquals(ScopeStat.ZERO, manager.allowlistedSystem().stat());
            assertTrue(conn.peerScope().isEmpty());
            // A retry with the allowlisted peer attaches it, but to the ordinary scopes: it left the allowlist.
            conn.setPeer(peerA);
            assertFalse(((ConnScopeImpl) conn).isAllowlisted());
            assertEquals(ScopeStat.ZERO, manager.transientScope().stat());
            assertEquals(inbound(1, 1), manager.system().stat());
            assertEquals(inbound(1, 1), manager.peerIfPresent(peerA).stat());
            conn.done();
            assertAllTopScopesEmpty(manager);
        }
    }

    // ---- go's TestAllowlistAndConnLimiterPlayNice ------------------------------------------------

    @Nested
    class AllowlistAndConnLimiterPlayNice {

        /** Ordinary scopes unlimited; the allowlisted system admits {@code allowlistedConns}. */
        private ConcreteLimitConfig limits(long allowlistedConns) {
            return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                    .allowlistedSystem(conns(allowlistedConns, allowlistedConns, allowlistedConns))
                    .build();
        }

        /** go's {@code WithNetworkPrefixLimit([]{}, []{})}: no network limits, loopback included. */
        private ConnLimiterConfig noNetworkLimits() {
            return ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of())
                    .withNetworkPrefixLimitsV6(List.of());
        }

        @Test
        void ipv4NetworkBecomesANetworkLimitOfTheAllowlistedSystemConnCount() {
            DefaultResourceManager manager = manager(config(limits(20))
                    .withAllowlist(Allowlist.of(List.of(addr("/ip4/1.2.3.0/ipcidr/24"))))
                    .withConnLimits(noNetworkLimits()));
            // Twenty connections from one address, beyond the default 8 per address: the /24 alone decides.
            List<ConnManagementScope> conns = openMany(manager, "/ip4/1.2.3.4/tcp/4001", 20);
            conns.forEach(c -> assertFalse(((ConnScopeImpl) c).isAllowlisted(), "the ordinary scopes had room"));
            assertEquals(inbound(20, 20), manager.system().stat());
            // The 21st is refused, from any address of the network: they share one count.
            assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/4001");
            assertPerAddressRefusal(manager, "/ip4/1.2.3.200/tcp/4001");
            conns.remove(0).done();
            conns.add(open(manager, "/ip4/1.2.3.200/tcp/4001"));
            assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/4001");
            // Outside the network the default per-address limit still holds.
            List<ConnManagementScope> others = openMany(manager, "/ip4/1.2.4.4/tcp/4001", 8);
            assertPerAddressRefusal(manager, "/ip4/1.2.4.4/tcp/4001");
            // The verifier is derived from the same table: 20 / 2 = 10 unverified handshakes per /24.
            for (int i = 0; i < 10; i++) {
                assertFalse(manager.verifySourceAddress(socket("1.2.3." + (i + 1))), "handshake " + i);
            }
            assertTrue(manager.verifySourceAddress(socket("1.2.3.77")));
            conns.forEach(ConnManagementScope::done);
            others.forEach(ConnManagementScope::done);
            assertAllTopScopesEmpty(manager);
            // Every slot came back.
            List<ConnManagementScope> again = openMany(manager, "/ip4/1.2.3.9", 20);
            assertPerAddressRefusal(manager, "/ip4/1.2.3.10");
            again.forEach(ConnManagementScope::done);
        }

        @Test
        void ipv6NetworkBecomesANetworkLimitOfTheAllowlistedSystemConnCount() {
            DefaultResourceManager manager = manager(config(limits(20))
                    .withAllowlist(Allowlist.of(List.of(addr("/ip6/1:2:3::/ipcidr/58"))))
                    .withConnLimits(noNetworkLimits()));
            List<ConnManagementScope> conns = openMany(manager, "/ip6/1:2:3::1/udp/4001/quic-v1", 20);
            assertPerAddressRefusal(manager, "/ip6/1:2:3:3f::9/tcp/1");
            // 1:2:3:40:: is in the same /56 but outside the /58: the default 8 per /56 applies there.
            List<ConnManagementScope> others = openMany(manager, "/ip6/1:2:3:40::1/tcp/1", 8);
            assertPerAddressRefusal(manager, "/ip6/1:2:3:41::1/tcp/1");
            for (int i = 0; i < 10; i++) {
                assertFalse(manager.verifySourceAddress(socket("1:2:3::" + (i + 1))), "handshake " + i);
            }
            assertTrue(manager.verifySourceAddress(socket("1:2:3:3f::1")));
            conns.forEach(ConnManagementScope::done);
            others.forEach(ConnManagementScope::done);
            assertAllTopScopesEmpty(manager);
        }

        @Test
        void anExplicitNetworkLimitIsNotOverridden() {
            ConnLimiterConfig explicit = noNetworkLimits()
                    .withNetworkPrefixLimitsV4(List.of(NetworkPrefixLimit.of("1.2.3.0/24", LimitValue.of(3))));
            DefaultResourceManager manager = manager(config(limits(20))
                    .withAllowlist(Allowlist.of(List.of(addr("/ip4/1.2.3.0/ipcidr/24"))))
                    .withConnLimits(explicit));
            List<ConnManagementScope> conns = new ArrayList<>();
            conns.add(open(manager, "/ip4/1.2.3.4"));
            conns.add(open(manager, "/ip4/1.2.3.5"));
            conns.add(open(manager, "/ip4/1.2.3.4"));
            assertPerAddressRefusal(manager, "/ip4/1.2.3.6");
            // 3 / 2 = 1 unverified handshake for the whole network.
            assertFalse(manager.verifySourceAddress(socket("1.2.3.4")));
            assertTrue(manager.verifySourceAddress(socket("1.2.3.5")));
            // The explicit list is the whole IPv4 network table: loopback lost its exemption, as configured.
            List<ConnManagementScope> loopback = openMany(manager, "/ip4/127.0.0.1/tcp/1", 8);
            assertPerAddressRefusal(manager, "/ip4/127.0.0.1/tcp/1");
            conns.forEach(ConnManagementScope::done);
            loopback.forEach(ConnManagementScope::done);
            assertAllTopScopesEmpty(manager);
        }

        @Test
        void peerConstrainedAndLaterEntriesAreNotRegistered() {
            Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/4.3.2.0/ipcidr/24/p2p/" + peerA)));
            DefaultResourceManager manager = manager(config(limits(20)).withAllowlist(allowlist));
            List<ConnManagementScope> conns = openMany(manager, "/ip4/4.3.2.1", 8);
            assertPerAddressRefusal(manager, "/ip4/4.3.2.1");
            allowlist.add(addr("/ip4/1.2.3.0/ipcidr/24"));
            conns.addAll(openMany(manager, "/ip4/1.2.3.4", 8));
            assertPerAddressRefusal(manager, "/ip4/1.2.3.4");
            conns.forEach(ConnManagementScope::done);
        }
    }

    // ---- the fallback and address slots ---------------------------------------------------------

    /** Ordinary scopes without room for connections; the allowlisted ones unlimited. */
    private ConcreteLimitConfig ordinaryFull() {
        return ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite()).system(conns(0)).build();
    }

    private ConnLimiterConfig twoPerAddress() {
        return ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(2))));
    }

    @Test
    void allowlistedFallbackHoldsNoAddressSlot() {
        // A peer-constrained entry: its network is not registered, so the per-address limit (2) applies.
        Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/4.3.2.1/p2p/" + peerA)));
        DefaultResourceManager manager = manager(config(ordinaryFull()).withAllowlist(allowlist)
                .withConnLimits(twoPerAddress()));
        // Each first scope takes the address's slot, is refused, and gives it back; the allowlisted
        // scope that replaces it takes none (go-libp2p's behaviour): ten connections pass a limit of two.
        List<ConnManagementScope> allowlisted = openMany(manager, "/ip4/4.3.2.1/tcp/1", 10);
        allowlisted.forEach(c -> assertTrue(((ConnScopeImpl) c).isAllowlisted()));
        assertEquals(inbound(10, 10), manager.allowlistedSystem().stat());
        // Proof that they hold no slot: once the ordinary scopes have room, two more come in, not one more.
        manager.system().setLimit(BaseLimit.UNLIMITED);
        List<ConnManagementScope> ordinary = openMany(manager, "/ip4/4.3.2.1/tcp/1", 2);
        ordinary.forEach(c -> assertFalse(((ConnScopeImpl) c).isAllowlisted()));
        assertPerAddressRefusal(manager, "/ip4/4.3.2.1/tcp/1");
        // Closing the allowlisted ones gives back no slot they never held (no count goes below the truth).
        allowlisted.forEach(ConnManagementScope::done);
        assertPerAddressRefusal(manager, "/ip4/4.3.2.1/tcp/1");
        ordinary.get(0).done();
        ordinary.set(0, open(manager, "/ip4/4.3.2.1/tcp/1"));
        assertPerAddressRefusal(manager, "/ip4/4.3.2.1/tcp/1");
        ordinary.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(manager);
        List<ConnManagementScope> again = openMany(manager, "/ip4/4.3.2.1/tcp/1", 2);
        assertPerAddressRefusal(manager, "/ip4/4.3.2.1/tcp/1");
        again.forEach(ConnManagementScope::done);
    }

    @Test
    void aConnectionRefusedByTheAllowlistedScopesGivesItsSlotBack() {
        ConcreteLimitConfig limits = ConcreteLimitConfig.builder(ordinaryFull())
                .allowlistedTransient(conns(0)).build();
        Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/4.3.2.1")));
        DefaultResourceManager manager = manager(config(limits).withAllowlist(allowlist)
                .withConnLimits(twoPerAddress()));
        // The /32 entry was registered with the allowlisted system's count (unlimited), so use a
        // second, non-registered address of a peer-constrained entry for the per-address limit.
        allowlist.add(addr("/ip4/4.3.2.2/p2p/" + peerA));
        for (int i = 0; i < 10; i++) {
            ResourceLimitExceededException refused = assertRefusedWithoutTrace(manager,
                    () -> open(manager, "/ip4/4.3.2.2/tcp/1"));
            assertEquals("allowlistedTransient", refused.refusingScope());
        }
        manager.system().setLimit(BaseLimit.UNLIMITED);
        List<ConnManagementScope> conns = openMany(manager, "/ip4/4.3.2.2/tcp/1", 2);
        assertPerAddressRefusal(manager, "/ip4/4.3.2.2/tcp/1");
        // The registered /32 is limited by the allowlisted system's connection count alone.
        conns.addAll(openMany(manager, "/ip4/4.3.2.1/tcp/1", 12));
        conns.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(manager);
    }
}
