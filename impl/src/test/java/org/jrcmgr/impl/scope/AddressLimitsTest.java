package org.jrcmgr.impl.scope;

import static org.jrcmgr.impl.scope.ManagerFixtures.assertRefusedWithoutTrace;
import static org.jrcmgr.impl.scope.ManagerFixtures.assertThrowsWithoutTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.EndpointRefusedException;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.jrcmgr.impl.net.RateLimit;
import org.jrcmgr.impl.net.SubnetRateLimit;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-address connection limiter, the connection rate limiter and the source-address verifier
 * as {@link DefaultResourceManager#openConnection} and {@link DefaultResourceManager#verifySourceAddress}
 * use them: ports of go-libp2p's {@code TestResourceManagerRateLimiting} and
 * {@code TestVerifySourceAddressRateLimiter}, and what go does not test: the per-address cap and the
 * release of address slots, exemptions, addresses without IP, books and observers on refusal, the
 * public builder, and a concurrent run.
 */
class AddressLimitsTest {

    private final List<AutoCloseable> managers = new ArrayList<>();

    @AfterEach
    void closeManagers() throws Exception {
        for (AutoCloseable manager : managers) {
            manager.close();
        }
    }

    private DefaultResourceManager manager(ManagerConfig config) {
        DefaultResourceManager manager = new DefaultResourceManager(config);
        managers.add(manager);
        return manager;
    }

    /** Unlimited scopes; go's default address limits; no rate limit unless a test sets one. */
    private static ManagerConfig unlimitedScopes() {
        return ManagerConfig.of(new FixedLimiter(ConcreteLimitConfig.infinite()))
                .withConnRateLimits(ConnRateLimiterConfig.unlimited());
    }

    /** Everything unlimited but the total connection count. */
    private static BaseLimit conns(long total) {
        return BaseLimit.UNLIMITED.toBuilder()
                .conns(LimitValue.unlimited(), LimitValue.unlimited(), LimitValue.of(total)).build();
    }

    private static Multiaddr addr(String text) {
        return Multiaddr.parse(text);
    }

    private static ConnManagementScope open(DefaultResourceManager manager, String endpoint) {
        return manager.openConnection(Direction.INBOUND, true, addr(endpoint));
    }

    private static List<ConnManagementScope> openMany(DefaultResourceManager manager, String endpoint, int n) {
        List<ConnManagementScope> conns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Alternate directions: both are limited alike.
            Direction direction = i % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND;
            conns.add(manager.openConnection(direction, i % 3 != 0, addr(endpoint)));
        }
        return conns;
    }

    private static EndpointRefusedException assertEndpointRefusal(DefaultResourceManager manager, String endpoint,
                                                                  EndpointRefusedException.Reason reason) {
        EndpointRefusedException refusal = assertThrowsWithoutTrace(manager, EndpointRefusedException.class,
                () -> open(manager, endpoint));
        assertEquals(reason, refusal.reason());
        assertEquals(addr(endpoint), refusal.endpoint());
        assertEquals(reason.message() + " for " + addr(endpoint), refusal.getMessage());
        assertTrue(refusal.retryable());
        return refusal;
    }

    private static EndpointRefusedException assertPerAddressRefusal(DefaultResourceManager manager, String endpoint) {
        return assertEndpointRefusal(manager, endpoint, EndpointRefusedException.Reason.CONNECTIONS_PER_ADDRESS);
    }

    private static InetSocketAddress socket(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAllTopScopesEmpty(DefaultResourceManager manager) {
        for (PlainScope scope : List.of(manager.system(), manager.transientScope(), manager.allowlistedSystem(),
                manager.allowlistedTransient())) {
            assertEquals(ScopeStat.ZERO, scope.stat(), () -> "usage of " + scope.name());
        }
    }

    /** Counts the outcomes of whole operations and the per-scope events that matter here. */
    static final class RecordingObserver implements ScopeObserver {
        final AtomicInteger connAllowed = new AtomicInteger();
        final AtomicInteger connBlocked = new AtomicInteger();
        final AtomicInteger scopesCreated = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<String> blocked = new CopyOnWriteArrayList<>();

        @Override
        public void connAllowed(Direction direction, boolean usesFd) {
            connAllowed.incrementAndGet();
        }

        @Override
        public void connBlocked(Direction direction, boolean usesFd) {
            connBlocked.incrementAndGet();
            blocked.add(direction + (usesFd ? " fd" : " no-fd"));
        }

        @Override
        public void scopeCreated(ObservedScope scope) {
            scopesCreated.incrementAndGet();
        }

        @Override
        public void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                            long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
            refused.incrementAndGet();
        }
    }

    // ---- go's TestResourceManagerRateLimiting ---------------------------------------------------

    @Test
    void globalRateLimitWithBurstTwoRefusesTheThirdConnection() {
        ConnRateLimiterConfig rate = ConnRateLimiterConfig.unlimited().withGlobalLimit(RateLimit.of(0.00001, 2));
        DefaultResourceManager manager = manager(unlimitedScopes().withConnRateLimits(rate));
        ConnManagementScope first = open(manager, "/ip4/1.2.3.4/tcp/1234");
        ConnManagementScope second = manager.openConnection(Direction.OUTBOUND, false, addr("/ip4/1.2.3.4/tcp/1234"));
        EndpointRefusedException refusal = assertEndpointRefusal(manager, "/ip4/1.2.3.4/tcp/1234",
                EndpointRefusedException.Reason.RATE_LIMIT);
        assertEquals("rate limit exceeded for /ip4/1.2.3.4/tcp/1234", refusal.getMessage());
        // The bucket is global: another address, outbound, and closing connections gives no token back.
        first.done();
        second.done();
        assertThrowsWithoutTrace(manager, EndpointRefusedException.class,
                () -> manager.openConnection(Direction.OUTBOUND, true, addr("/ip4/5.6.7.8/tcp/1")));
        assertAllTopScopesEmpty(manager);
    }

    @Test
    void defaultRateLimitAllowsSixteenPerAddressAtOnce() {
        // go's default: 16 per IPv4 address, then 0.2/s. Close each one: only the rate is at stake here.
        DefaultResourceManager manager = manager(unlimitedScopes().withConnRateLimits(ConnRateLimiterConfig.defaults()));
        for (int i = 0; i < 16; i++) {
            open(manager, "/ip4/1.2.3.4/tcp/" + (1000 + i)).done();
        }
        assertEndpointRefusal(manager, "/ip4/1.2.3.4/tcp/2000", EndpointRefusedException.Reason.RATE_LIMIT);
        open(manager, "/ip4/1.2.3.5/tcp/2000").done();
    }

    // ---- go's TestVerifySourceAddressRateLimiter ------------------------------------------------

    @Test
    void verifySourceAddressAllowsHalfTheConnectionCountUnverified() {
        // A /32 count of 2 gives each address a bucket of 2 / 2 = 1 unverified handshake.
        ConnLimiterConfig limits = ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(2))));
        DefaultResourceManager manager = manager(unlimitedScopes().withConnLimits(limits));
        assertFalse(manager.verifySourceAddress(socket("1.2.3.4", 1000)));
        assertTrue(manager.verifySourceAddress(socket("1.2.3.4", 1001)));
        assertFalse(manager.verifySourceAddress(socket("1.2.3.5", 1000)), "each address has its own bucket");
        assertTrue(manager.verifySourceAddress(socket("1.2.3.5", 1000)));
        // Something that does not parse as IP and port must be verified, always.
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.org", 443);
        assertTrue(manager.verifySourceAddress(unresolved));
        assertTrue(manager.verifySourceAddress(unresolved));
        // Beyond go's test: loopback keeps its exemption (unlimited network limit, unlimited rate)...
        for (int i = 0; i < 100; i++) {
            assertFalse(manager.verifySourceAddress(socket("127.0.0.1", 1000 + i)));
            assertFalse(manager.verifySourceAddress(socket("::1", 1000 + i)));
        }
        // ...IPv6 keeps go's defaults (8 per /56 → 4, 64 per /48 → 32)...
        for (int i = 0; i < 4; i++) {
            assertFalse(manager.verifySourceAddress(socket("2001:db8:0:1::" + (i + 1), 1)));
        }
        assertTrue(manager.verifySourceAddress(socket("2001:db8:0:2::1", 1)), "same /56");
        // ...and the verifier is not the connection rate limiter, nor the per-address limit.
        ConnManagementScope conn = open(manager, "/ip4/1.2.3.4/udp/1000/quic-v1");
        ConnManagementScope conn2 = open(manager, "/ip4/1.2.3.4/udp/1000/quic-v1");
        assertPerAddressRefusal(manager, "/ip4/1.2.3.4/udp/1000/quic-v1");
        conn.done();
        conn2.done();
    }

    // ---- the per-address limit -------------------------------------------------------------------

    @Test
    void ninthConnectionFromOneAddressIsRefusedAndDoneFreesItsSlotExactlyOnce() {
        RecordingObserver observer = new RecordingObserver();
        DefaultResourceManager manager = manager(unlimitedScopes().withObserver(observer));
        List<ConnManagementScope> conns = openMany(manager, "/ip4/1.2.3.4/tcp/4001", 8);
        // Streams and a peer on one of them, so that the books hold more than connections.
        PeerId peer = PeerId.random();
        conns.get(0).setPeer(peer);
        conns.get(0).reserveMemory(4096, ReservationPriority.HIGH);
        manager.openStream(peer, Direction.INBOUND);
        int created = observer.scopesCreated.get();
        int refusedBefore = observer.refused.get();

        EndpointRefusedException refusal = assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/4001");
        assertEquals("connections per ip limit exceeded for /ip4/1.2.3.4/tcp/4001", refusal.getMessage());
        // Any port, any transport, either direction: it is the address that counts.
        assertPerAddressRefusal(manager, "/ip4/1.2.3.4/udp/9/quic-v1");
        assertThrowsWithoutTrace(manager, EndpointRefusedException.class,
                () -> manager.openConnection(Direction.OUTBOUND, false, addr("/ip4/1.2.3.4/tcp/80")));
        assertEquals(created, observer.scopesCreated.get(), "an endpoint refusal makes no scope");
        assertEquals(refusedBefore, observer.refused.get(), "no scope refused anything");
        assertEquals(3, observer.connBlocked.get());
        assertEquals(8, observer.connAllowed.get());
        // There is no /24 limit: the neighbour is admitted.
        ConnManagementScope neighbour = open(manager, "/ip4/1.2.3.5/tcp/4001");

        // done() frees one slot, however often it is called.
        ConnManagementScope closed = conns.remove(7);
        closed.done();
        closed.done();
        closed.done();
        conns.add(open(manager, "/ip4/1.2.3.4/tcp/4001"));
        assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/4001");
        // So does closing a connection attached to its peer, with memory and a stream.
        conns.remove(0).done();
        conns.add(open(manager, "/ip4/1.2.3.4/tcp/4001"));
        assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/4001");

        conns.forEach(ConnManagementScope::done);
        neighbour.done();
        conns = openMany(manager, "/ip4/1.2.3.4/tcp/4001", 8);
        assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/4001");
        conns.forEach(ConnManagementScope::done);
    }

    @Test
    void ipv6IsLimitedPerSlash56AndSlash48() {
        DefaultResourceManager manager = manager(unlimitedScopes());
        List<ConnManagementScope> conns = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            conns.add(open(manager, "/ip6/2001:db8:0:" + i + "::1/tcp/1"));
        }
        // 2001:db8:0:ff:: is the same /56 as 2001:db8:0:1::.
        assertPerAddressRefusal(manager, "/ip6/2001:db8:0:ff::1/tcp/1");
        // Another /56 of the same /48: admitted, up to 64 per /48.
        for (int net = 1; net < 8; net++) {
            for (int i = 0; i < 8; i++) {
                conns.add(open(manager, "/ip6/2001:db8:0:" + Integer.toHexString(net << 8) + "::" + (i + 1) + "/tcp/1"));
            }
        }
        assertEquals(64, conns.size());
        assertPerAddressRefusal(manager, "/ip6/2001:db8:0:f000::1/tcp/1");
        // An IPv4-mapped address is IPv6 to the limiter, as in go: its own /56, not 1.2.3.4's /32.
        List<ConnManagementScope> v4 = openMany(manager, "/ip4/1.2.3.4/tcp/1", 8);
        ConnManagementScope mapped = open(manager, "/ip6/::ffff:1.2.3.4/tcp/1");
        mapped.done();
        v4.forEach(ConnManagementScope::done);
        conns.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(manager);
    }

    @Test
    void loopbackIsExemptFromTheAddressAndRateLimits() {
        // go's defaults for both limiters: each exempts 127.0.0.0/8 and ::1.
        DefaultResourceManager manager = manager(unlimitedScopes().withConnRateLimits(ConnRateLimiterConfig.defaults()));
        List<ConnManagementScope> conns = new ArrayList<>();
        conns.addAll(openMany(manager, "/ip4/127.0.0.1/tcp/4001", 50));
        conns.addAll(openMany(manager, "/ip4/127.8.9.10/tcp/4001", 20));
        conns.addAll(openMany(manager, "/ip6/::1/tcp/4001", 50));
        assertEquals(120, manager.system().stat().connsInbound() + manager.system().stat().connsOutbound());
        conns.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(manager);
        // An explicit network limit for loopback replaces the exemption.
        DefaultResourceManager strict = manager(unlimitedScopes().withConnLimits(ConnLimiterConfig.defaults()
                .withNetworkPrefixLimitsV4(List.of(NetworkPrefixLimit.of("127.0.0.0/8", LimitValue.of(3))))));
        List<ConnManagementScope> three = openMany(strict, "/ip4/127.0.0.1/tcp/1", 2);
        three.add(open(strict, "/ip4/127.0.0.2/tcp/1"));
        assertPerAddressRefusal(strict, "/ip4/127.0.0.3/tcp/1");
        three.forEach(ConnManagementScope::done);
    }

    @Test
    void aConnectionRefusedByAScopeGivesItsAddressSlotBack() {
        ConcreteLimitConfig limits = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .transientLimit(conns(0)).build();
        RecordingObserver observer = new RecordingObserver();
        DefaultResourceManager manager = manager(ManagerConfig.of(new FixedLimiter(limits))
                .withConnRateLimits(ConnRateLimiterConfig.unlimited()).withObserver(observer));
        for (int i = 0; i < 12; i++) {
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> open(manager, "/ip4/1.2.3.4/tcp/1"));
            assertEquals("transient", refusal.refusingScope());
        }
        assertEquals(12, observer.connBlocked.get());
        assertEquals(12, observer.refused.get(), "each scope refusal is reported by the refusing scope");
        // Had any refused attempt kept its slot, fewer than 8 would fit now.
        manager.transientScope().setLimit(BaseLimit.UNLIMITED);
        List<ConnManagementScope> conns = openMany(manager, "/ip4/1.2.3.4/tcp/1", 8);
        assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/1");
        conns.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(manager);
    }

    @Test
    void aConnectionRefusedByItsOwnLimitGivesItsAddressSlotBack() {
        // Every connection scope admits no descriptor: each connection that asks for one is refused.
        ConcreteLimitConfig limits = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .conn(BaseLimit.UNLIMITED.toBuilder().fd(LimitValue.blockAll()).build()).build();
        DefaultResourceManager manager = manager(ManagerConfig.of(new FixedLimiter(limits))
                .withConnRateLimits(ConnRateLimiterConfig.unlimited()));
        for (int i = 0; i < 12; i++) {
            ResourceLimitExceededException refusal = assertRefusedWithoutTrace(manager,
                    () -> manager.openConnection(Direction.INBOUND, true, addr("/ip4/1.2.3.4/tcp/1")));
            assertEquals(Resource.FD, refusal.resource());
        }
        List<ConnManagementScope> conns = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            conns.add(manager.openConnection(Direction.INBOUND, false, addr("/ip4/1.2.3.4/tcp/1")));
        }
        assertThrowsWithoutTrace(manager, EndpointRefusedException.class,
                () -> manager.openConnection(Direction.INBOUND, false, addr("/ip4/1.2.3.4/tcp/1")));
        conns.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(manager);
    }

    // ---- connections without an IP address -------------------------------------------------------

    private static final String RELAY = "12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu";

    private static final List<String> NO_IP = List.of("/dns4/example.org/tcp/1", "/dns6/example.org/tcp/1",
            "/dns/example.net/udp/443/quic-v1", "/p2p-circuit", "/p2p/" + RELAY + "/p2p-circuit");

    @Test
    void connectionsWithoutAnIpSkipThePerAddressLimit() {
        // One connection per subnet at most, even per /0: every connection with an IP shares one count.
        ConnLimiterConfig one = new ConnLimiterConfig(List.of(), List.of(),
                List.of(new ConnLimitPerSubnet(0, LimitValue.of(1))),
                List.of(new ConnLimitPerSubnet(0, LimitValue.of(1))));
        DefaultResourceManager manager = manager(unlimitedScopes().withConnLimits(one));
        ConnManagementScope withIp4 = open(manager, "/ip4/9.9.9.9/tcp/1");
        ConnManagementScope withIp6 = open(manager, "/ip6/2001:db8::1/tcp/1");
        assertPerAddressRefusal(manager, "/ip4/8.8.8.8/tcp/1");
        assertPerAddressRefusal(manager, "/ip6/2001:db8:ffff::1/tcp/1");
        List<ConnManagementScope> conns = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (String endpoint : NO_IP) {
                conns.add(open(manager, endpoint));
            }
        }
        assertEquals(22, manager.system().stat().connsInbound());
        // Closing them releases no slot they did not take: each /0 count is still held by one connection.
        conns.forEach(ConnManagementScope::done);
        assertPerAddressRefusal(manager, "/ip4/8.8.8.8/tcp/1");
        assertPerAddressRefusal(manager, "/ip6/2001:db8:ffff::1/tcp/1");
        withIp4.done();
        withIp6.done();
        open(manager, "/ip4/8.8.8.8/tcp/1").done();
        open(manager, "/ip6/2001:db8:ffff::1/tcp/1").done();
        assertAllTopScopesEmpty(manager);
    }

    @Test
    void connectionsWithoutAnIpShareOneRateBucket() {
        // As in go, IP-less connections fall under the IPv6 subnet limits, all in one bucket.
        ConnRateLimiterConfig rate = ConnRateLimiterConfig.unlimited()
                .withSubnetLimitsV6(List.of(new SubnetRateLimit(56, RateLimit.of(0.00001, 3))));
        DefaultResourceManager manager = manager(unlimitedScopes().withConnRateLimits(rate));
        List<ConnManagementScope> conns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conns.add(open(manager, NO_IP.get(i)));
        }
        assertEndpointRefusal(manager, "/p2p-circuit", EndpointRefusedException.Reason.RATE_LIMIT);
        assertEndpointRefusal(manager, "/dns4/other.example/tcp/2", EndpointRefusedException.Reason.RATE_LIMIT);
        // Addresses with an IP have buckets of their own.
        for (int i = 0; i < 3; i++) {
            conns.add(open(manager, "/ip6/2001:db8::" + (i + 1) + "/tcp/1"));
            conns.add(open(manager, "/ip4/1.2.3.4/tcp/1"));
        }
        assertEndpointRefusal(manager, "/ip6/2001:db8::9/tcp/1", EndpointRefusedException.Reason.RATE_LIMIT);
        conns.add(open(manager, "/ip6/2001:db8:1::1/tcp/1"));
        conns.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(manager);
    }

    // ---- refusals: books and observers -------------------------------------------------------------

    @Test
    void everyRefusalLeavesTheBooksAsTheyWereAndIsReportedOnce() {
        ConnRateLimiterConfig rate = ConnRateLimiterConfig.unlimited().withGlobalLimit(RateLimit.of(0.00001, 5));
        ConnLimiterConfig perAddress = ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(2))));
        RecordingObserver observer = new RecordingObserver();
        DefaultResourceManager manager = manager(unlimitedScopes().withConnRateLimits(rate).withConnLimits(perAddress)
                .withObserver(observer));
        ConnManagementScope a1 = open(manager, "/ip4/1.2.3.4/tcp/1");
        ConnManagementScope a2 = manager.openConnection(Direction.OUTBOUND, false, addr("/ip4/1.2.3.4/tcp/2"));
        PeerId peer = PeerId.random();
        a2.setPeer(peer);
        a2.reserveMemory(1 << 20, ReservationPriority.ALWAYS);
        manager.openStream(peer, Direction.OUTBOUND).reserveMemory(512, ReservationPriority.LOW);
        assertEquals(2, observer.connAllowed.get());
        int created = observer.scopesCreated.get();

        // Per address (the third token).
        assertPerAddressRefusal(manager, "/ip4/1.2.3.4/tcp/3");
        assertEquals(created, observer.scopesCreated.get());
        assertEquals(0, observer.refused.get());
        // By a scope (the fourth token).
        manager.transientScope().setLimit(conns(1));
        ResourceLimitExceededException byScope = assertRefusedWithoutTrace(manager,
                () -> manager.openConnection(Direction.OUTBOUND, true, addr("/ip4/5.6.7.8/tcp/1")));
        assertEquals("transient", byScope.refusingScope());
        assertEquals(1, observer.refused.get());
        manager.transientScope().setLimit(BaseLimit.UNLIMITED);
        // Admitted (the fifth and last token).
        ConnManagementScope b1 = open(manager, "/ip4/5.6.7.8/tcp/1");
        // By rate.
        created = observer.scopesCreated.get();
        assertEndpointRefusal(manager, "/ip4/9.9.9.9/tcp/1", EndpointRefusedException.Reason.RATE_LIMIT);
        assertEndpointRefusal(manager, "/dns4/example.org/tcp/1", EndpointRefusedException.Reason.RATE_LIMIT);
        assertEquals(created, observer.scopesCreated.get());
        assertEquals(1, observer.refused.get());

        assertEquals(3, observer.connAllowed.get());
        assertEquals(List.of("INBOUND fd", "OUTBOUND fd", "INBOUND fd", "INBOUND fd"), observer.blocked);
        // Nothing of the refused attempts is left anywhere: the books hold just what is open.
        ScopeStat system = manager.system().stat();
        assertEquals(new ScopeStat(0, 1, 2, 1, 2, (1 << 20) + 512), system);
        a1.done();
        a2.done();
        b1.done();
    }

    // ---- the public builder ----------------------------------------------------------------------

    @Test
    void builderWiresAllowlistAddressAndRateLimits() {
        ConcreteLimitConfig limits = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(conns(3))
                .allowlistedSystem(conns(4))
                .build();
        Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/10.0.0.0/ipcidr/8")));
        RecordingObserver observer = new RecordingObserver();
        ResourceManager rm = ResourceManagerBuilder.create()
                .limits(limits)
                .collectInterval(null)
                .refusalSummary(null)
                .flightRecorder(false)
                .observer(observer)
                .allowlist(allowlist)
                .connLimits(ConnLimiterConfig.defaults()
                        .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(1)))))
                .connRateLimits(ConnRateLimiterConfig.unlimited()
                        .withSubnetLimitsV4(List.of(new SubnetRateLimit(32, RateLimit.of(0.00001, 2)))))
                .build();
        managers.add(rm);
        // One per address.
        ConnManagementScope c1 = rm.openConnection(Direction.INBOUND, true, addr("/ip4/1.1.1.1/tcp/1"));
        EndpointRefusedException perAddress = assertThrows(
                EndpointRefusedException.class,
                () -> rm.openConnection(Direction.INBOUND, true, addr("/ip4/1.1.1.1/tcp/2")));
        assertEquals(EndpointRefusedException.Reason.CONNECTIONS_PER_ADDRESS, perAddress.reason());
        // Two per address per (long) while: the per-address refusal took the second token.
        c1.done();
        EndpointRefusedException rate = assertThrows(
                EndpointRefusedException.class,
                () -> rm.openConnection(Direction.INBOUND, true, addr("/ip4/1.1.1.1/tcp/3")));
        assertEquals(EndpointRefusedException.Reason.RATE_LIMIT, rate.reason());
        // The ordinary system admits 3; then the allowlisted 10/8 gets its own scopes.
        List<ConnManagementScope> conns = new ArrayList<>();
        conns.add(rm.openConnection(Direction.INBOUND, true, addr("/ip4/2.2.2.2/tcp/1")));
        conns.add(rm.openConnection(Direction.INBOUND, true, addr("/ip4/3.3.3.3/tcp/1")));
        conns.add(rm.openConnection(Direction.INBOUND, true, addr("/ip4/4.4.4.4/tcp/1")));
        assertThrows(ResourceLimitExceededException.class,
                () -> rm.openConnection(Direction.INBOUND, true, addr("/ip4/5.5.5.5/tcp/1")));
        // From 10/8 the fallback admits 4 (the allowlisted system's limit), then refuses too.
        for (int i = 1; i <= 6; i++) {
            if (i <= 4) {
                conns.add(rm.openConnection(Direction.INBOUND, true, addr("/ip4/10.0.0." + i + "/tcp/1")));
            } else {
                int n = i;
                assertThrows(ResourceLimitExceededException.class,
                        () -> rm.openConnection(Direction.INBOUND, true, addr("/ip4/10.0.0." + n + "/tcp/1")));
            }
        }
        ScopeSnapshot allowlisted = rm.snapshot().scope("allowlistedSystem").orElseThrow();
        assertEquals(new ScopeStat(0, 0, 4, 0, 4, 0), allowlisted.usage());
        assertEquals(new ScopeStat(0, 0, 3, 0, 3, 0), rm.snapshot().scope("system").orElseThrow().usage());
        // The verifier follows the registered network: 4 / 2 = 2 unverified handshakes for all of 10/8.
        assertFalse(rm.verifySourceAddress(socket("10.1.1.1", 1)));
        assertFalse(rm.verifySourceAddress(socket("10.2.2.2", 1)));
        assertTrue(rm.verifySourceAddress(socket("10.3.3.3", 1)));
        // ...and a /32 of 1 connection gives 1 / 2 = 0 tokens: every handshake is verified.
        assertTrue(rm.verifySourceAddress(socket("1.1.1.1", 1)));
        // Removing the entry at run time closes the fallback.
        conns.remove(conns.size() - 1).done();
        allowlist.remove(addr("/ip4/10.0.0.0/ipcidr/8"));
        assertThrows(ResourceLimitExceededException.class,
                () -> rm.openConnection(Direction.INBOUND, true, addr("/ip4/10.0.0.9/tcp/1")));
        conns.forEach(ConnManagementScope::done);
        for (String scope : List.of("system", "transient", "allowlistedSystem", "allowlistedTransient")) {
            assertEquals(ScopeStat.ZERO, rm.snapshot().scope(scope).orElseThrow().usage(), scope);
        }
        assertEquals(6, observer.connBlocked.get());
        assertEquals(8, observer.connAllowed.get());
    }

    // ---- concurrency -----------------------------------------------------------------------------

    /** Keeps the first few violations: one broken limit would otherwise report thousands. */
    private static void note(List<String> violations, String violation) {
        if (violations.size() < 10) {
            violations.add(violation);
        }
    }

    /**
     * Threads open and close connections from a handful of addresses against a per-address cap of
     * 3, a system limit of 10 and a transient limit of 6, attach some of them to peers that admit 2
     * each, and close some twice; each thread holds up to 12 connections at a time. Each thread counts a connection as open from just after it was
     * admitted to just before it is closed, which is never more than the limiter counts: so these
     * counts must never exceed the caps. At the end every scope is empty and every address admits
     * exactly its cap again.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentOpenAndCloseNeverExceedsACapAndLeaksNoSlot() throws Exception {
        int cap = 3;
        long systemConns = 10;
        long transientConns = 6;
        List<PeerId> peers = List.of(PeerId.random(), PeerId.random(), PeerId.random(), PeerId.random());
        ConcreteLimitConfig limits = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(conns(systemConns))
                .transientLimit(conns(transientConns))
                .peerDefault(conns(2))
                .allowlistedSystem(conns(4))
                .allowlistedTransient(conns(4))
                .build();
        // 10.9.9.0/24 is allowlisted: a network count of 4 for the ordinary connections from it,
        // and a fallback into the allowlisted scopes (which hold no slot) when the ordinary ones are full.
        Allowlist allowlist = Allowlist.of(List.of(addr("/ip4/10.9.9.0/ipcidr/24")));
        ConnLimiterConfig perAddress = ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(cap))))
                .withSubnetLimitsV6(List.of(new ConnLimitPerSubnet(56, LimitValue.of(cap))));
        DefaultResourceManager rm = manager(ManagerConfig.of(new FixedLimiter(limits)).withConnLimits(perAddress)
                .withAllowlist(allowlist).withConnRateLimits(ConnRateLimiterConfig.unlimited()));

        // The key of the counter each address's ordinary connections take, and its cap.
        List<String> endpoints = List.of("/ip4/10.0.0.1/tcp/1", "/ip4/10.0.0.2/tcp/1", "/ip4/10.0.0.3/udp/1/quic-v1",
                "/ip6/2001:db8:0:1::1/tcp/1", "/ip6/2001:db8:0:2::2/tcp/1", "/ip4/10.9.9.1/tcp/1",
                "/ip4/10.9.9.2/tcp/1", "/dns4/example.org/tcp/1");
        List<String> keys = List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "2001:db8:0::/56", "2001:db8:0::/56",
                "10.9.9.0/24", "10.9.9.0/24", "none");
        Map<String, Long> caps = Map.of("10.0.0.1", (long) cap, "10.0.0.2", (long) cap, "10.0.0.3", (long) cap,
                "2001:db8:0::/56", (long) cap, "10.9.9.0/24", 4L, "none", Long.MAX_VALUE);
        Map<String, AtomicLong> open = new ConcurrentHashMap<>();
        caps.keySet().forEach(k -> open.put(k, new AtomicLong()));
        AtomicLong ordinaryOpen = new AtomicLong();
        AtomicLong allowlistedOpen = new AtomicLong();
        AtomicLong admitted = new AtomicLong();
        AtomicLong perAddressRefusals = new AtomicLong();
        AtomicLong scopeRefusals = new AtomicLong();
        AtomicLong fallbacks = new AtomicLong();
        List<String> violations = new CopyOnWriteArrayList<>();

        int threads = 8;
        int iterations = 3000;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 0x5eed_0000L + t;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    List<Object[]> held = new ArrayList<>();
                    for (int i = 0; i < iterations; i++) {
                        if (i % 200 == 0) {
                            // Meet now and then, so that the threads overlap even once the JIT makes each fast.
                            barrier.await(30, TimeUnit.SECONDS);
                        }
                        if (!held.isEmpty() && (held.size() >= 12 || random.nextInt(4) == 0)) {
                            Object[] h = held.remove(random.nextInt(held.size()));
                            ConnManagementScope conn = (ConnManagementScope) h[0];
                            String key = (String) h[1];
                            boolean wasAllowlisted = (Boolean) h[2];
                            if (wasAllowlisted) {
                                allowlistedOpen.decrementAndGet();
                            } else {
                                open.get(key).decrementAndGet();
                                ordinaryOpen.decrementAndGet();
                            }
                            conn.done();
                            if (random.nextInt(4) == 0) {
                                conn.done();
                            }
                            continue;
                        }
                        int e = random.nextInt(endpoints.size());
                        String key = keys.get(e);
                        Direction direction = random.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND;
                        ConnManagementScope conn;
                        try {
                            conn = rm.openConnection(direction, random.nextBoolean(), addr(endpoints.get(e)));
                        } catch (EndpointRefusedException refused) {
                            if (refused.reason() != EndpointRefusedException.Reason.CONNECTIONS_PER_ADDRESS) {
                                note(violations, "unexpected " + refused);
                            }
                            perAddressRefusals.incrementAndGet();
                            continue;
                        } catch (ResourceLimitExceededException refused) {
                            scopeRefusals.incrementAndGet();
                            continue;
                        }
                        admitted.incrementAndGet();
                        boolean allowlisted = ((ConnScopeImpl) conn).isAllowlisted();
                        if (allowlisted) {
                            fallbacks.incrementAndGet();
                            long n = allowlistedOpen.incrementAndGet();
                            if (n > 4) {
                                note(violations, n + " allowlisted connections open");
                            }
                        } else {
                            long n = open.get(key).incrementAndGet();
                            if (n > caps.get(key)) {
                                note(violations, n + " connections open for " + key);
                            }
                            long total = ordinaryOpen.incrementAndGet();
                            if (total > systemConns) {
                                note(violations, total + " ordinary connections open");
                            }
                        }
                        if (random.nextInt(2) == 0) {
                            try {
                                conn.setPeer(peers.get(random.nextInt(peers.size())));
                            } catch (ResourceException refused) {
                                // The peer is full: the connection stays where it was.
                            }
                        }
                        held.add(new Object[] {conn, key, allowlisted});
                    }
                    for (Object[] h : held) {
                        if ((Boolean) h[2]) {
                            allowlistedOpen.decrementAndGet();
                        } else {
                            open.get((String) h[1]).decrementAndGet();
                            ordinaryOpen.decrementAndGet();
                        }
                        ((ConnManagementScope) h[0]).done();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(List.of(), violations);
        assertTrue(admitted.get() > 0 && perAddressRefusals.get() > 0 && scopeRefusals.get() > 0
                        && fallbacks.get() > 0,
                () -> "admitted " + admitted + ", per-address refusals " + perAddressRefusals + ", scope refusals "
                        + scopeRefusals + ", allowlisted fallbacks " + fallbacks);
        open.forEach((k, v) -> assertEquals(0, v.get(), k));

        // Every scope is empty, and once idle peers are collected every reference is back to the start.
        rm.collect();
        assertAllTopScopesEmpty(rm);
        assertEquals(2, rm.system().refCount(), "own reference + transient's edge");
        assertEquals(1, rm.transientScope().refCount());
        assertEquals(2, rm.allowlistedSystem().refCount());
        assertEquals(1, rm.allowlistedTransient().refCount());
        assertEquals(List.of("system", "transient", "allowlistedSystem", "allowlistedTransient"),
                rm.snapshot().scopes().stream().map(ScopeSnapshot::name).toList(), "no scope left over");

        // Every address slot is back: each counter admits exactly its cap again.
        rm.system().setLimit(BaseLimit.UNLIMITED);
        rm.transientScope().setLimit(BaseLimit.UNLIMITED);
        List<ConnManagementScope> again = new ArrayList<>();
        for (String endpoint : List.of("/ip4/10.0.0.1/tcp/9", "/ip4/10.0.0.2/tcp/9", "/ip4/10.0.0.3/tcp/9",
                "/ip6/2001:db8:0:3::3/tcp/9")) {
            again.addAll(openMany(rm, endpoint, cap));
            assertPerAddressRefusal(rm, endpoint);
        }
        again.addAll(openMany(rm, "/ip4/10.9.9.200/tcp/9", 4));
        for (ConnManagementScope c : again) {
            assertFalse(((ConnScopeImpl) c).isAllowlisted());
        }
        assertPerAddressRefusal(rm, "/ip4/10.9.9.1/tcp/9");
        again.forEach(ConnManagementScope::done);
        assertAllTopScopesEmpty(rm);
    }
}
