package org.jrcmgr.impl.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.IpNetwork;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Ports of go-libp2p's {@code conn_limiter_test.go}, plus concurrency and family handling. */
class ConnLimiterTest {

    static IpAddress ip(String literal) {
        // Through a multiaddr, so that an IPv4-mapped IPv6 literal keeps its IPv6 family.
        return IpAddress.fromMultiaddr(Multiaddr.parse((literal.contains(":") ? "/ip6/" : "/ip4/") + literal))
                .orElseThrow();
    }

    /** An IPv6 address with a 16-bit value written at byte {@code offset}, as go's tests build them. */
    static IpAddress withUint16(String base, int offset, int value) {
        byte[] bytes = ip(base).toBytes();
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
        return IpAddress.ofBytes(bytes);
    }

    private static ConnLimiterConfig v4PerAddress(int count) {
        return ConnLimiterConfig.defaults().withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(count))));
    }

    @Nested
    class ItLimits {

        @Test
        void ipv4() {
            ConnLimiter limiter = new ConnLimiter(v4PerAddress(1));
            assertTrue(limiter.addConn(ip("1.2.3.4")));
            assertFalse(limiter.addConn(ip("1.2.3.4")), "should fail the second time");
            assertTrue(limiter.addConn(ip("1.2.3.5")));
        }

        @Test
        void ipv4Removal() {
            ConnLimiter limiter = new ConnLimiter(v4PerAddress(1));
            assertTrue(limiter.addConn(ip("1.2.3.4")));
            assertFalse(limiter.addConn(ip("1.2.3.4")));
            limiter.removeConn(ip("1.2.3.4"));
            assertTrue(limiter.addConn(ip("1.2.3.4")));
        }

        @Test
        void ipv6() {
            ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults().withSubnetLimitsV6(List.of(
                    new ConnLimitPerSubnet(56, LimitValue.of(1)), new ConnLimitPerSubnet(48, LimitValue.of(64)))));
            assertTrue(limiter.addConn(ip("1:2:3:4::1")));
            assertFalse(limiter.addConn(ip("1:2:3:4::1")));
            assertFalse(limiter.addConn(ip("1:2:3:4::2")), "same /56");
            assertTrue(limiter.addConn(ip("2:2:3:4::2")));
        }

        @Test
        void ipv6WithMultipleLimits() {
            ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults());
            for (int i = 0; i < 8; i++) {
                assertTrue(limiter.addConn(withUint16("ff:2:3:4::1", 14, i)));
            }
            assertFalse(limiter.addConn(withUint16("ff:2:3:4::1", 14, 9)), "the /56 holds 8");
            assertTrue(limiter.addConn(ip("ffef:2:3::1")), "another /48");
            // Vary bytes 5..6: different /56s inside one /48, which holds 64.
            for (int i = 0; i < 64; i++) {
                assertTrue(limiter.addConn(withUint16("ffef:2:3:4::1", 5, i)), "conn " + i);
            }
            assertFalse(limiter.addConn(withUint16("ffef:2:3:4::1", 5, 65)), "the /48 holds 64");
        }

        @Test
        void ipv4WithLocalhost() {
            ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults()
                    .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(0, LimitValue.of(1)))));
            assertTrue(limiter.addConn(ip("1.2.3.4")));
            assertFalse(limiter.addConn(ip("4.3.2.1")), "one connection for the whole IPv4 space");
            assertTrue(limiter.addConn(ip("127.0.0.1")), "loopback has its own, unlimited, network limit");
        }
    }

    @Test
    void theMostSpecificNetworkDecidesAloneAndSubnetsAreSkipped() {
        ConnLimiter limiter = new ConnLimiter(v4PerAddress(1).withNetworkPrefixLimitsV4(List.of(
                NetworkPrefixLimit.of("10.0.0.0/8", LimitValue.of(3)),
                NetworkPrefixLimit.of("10.1.0.0/16", LimitValue.of(2)))));
        assertTrue(limiter.addConn(ip("10.1.0.1")));
        assertTrue(limiter.addConn(ip("10.1.0.1")), "the /32 subnet limit of 1 is not consulted");
        assertFalse(limiter.addConn(ip("10.1.9.9")), "10.1.0.0/16 is full; 10.0.0.0/8 is not asked");
        assertTrue(limiter.addConn(ip("10.2.0.1")));
        assertTrue(limiter.addConn(ip("10.3.0.1")));
        assertTrue(limiter.addConn(ip("10.4.0.1")));
        assertFalse(limiter.addConn(ip("10.5.0.1")));
        limiter.removeConn(ip("10.1.0.1"));
        assertTrue(limiter.addConn(ip("10.1.200.200")));
    }

    @Test
    void blockAllNetworkRefusesEverything() {
        ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                NetworkPrefixLimit.of("192.0.2.0/24", LimitValue.blockAll()))));
        assertFalse(limiter.addConn(ip("192.0.2.1")));
        assertTrue(limiter.addConn(ip("127.0.0.1")), "no loopback exemption is configured, but /32 allows 8");
    }

    @Test
    void refusalChangesNoCounter() {
        ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults().withSubnetLimitsV6(List.of(
                new ConnLimitPerSubnet(64, LimitValue.of(2)), new ConnLimitPerSubnet(48, LimitValue.of(2)))));
        assertTrue(limiter.addConn(ip("2001:db8:1:1::1")));
        assertTrue(limiter.addConn(ip("2001:db8:1:2::1")));
        assertEquals(4, limiter.countedTotal());
        assertFalse(limiter.addConn(ip("2001:db8:1:3::1")), "its /64 has room, its /48 has none");
        assertEquals(4, limiter.countedTotal());
        assertEquals(3, limiter.subnetCounterCount(), "no empty counter was left behind");
        limiter.removeConn(ip("2001:db8:1:1::1"));
        limiter.removeConn(ip("2001:db8:1:2::1"));
        assertEquals(0, limiter.countedTotal());
        assertEquals(0, limiter.subnetCounterCount());
    }

    @Test
    void unbalancedRemovalsAreLoggedAndSkipped() {
        ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults());
        limiter.removeConn(ip("1.2.3.4"));
        limiter.removeConn(ip("127.0.0.1"));
        limiter.removeConn(ip("2001:db8::1"));
        assertEquals(0, limiter.countedTotal(), "never negative");
        assertTrue(limiter.addConn(ip("1.2.3.4")));
        limiter.removeConn(ip("1.2.3.4"));
        limiter.removeConn(ip("1.2.3.4"));
        assertEquals(0, limiter.countedTotal());
        for (int i = 0; i < 8; i++) {
            assertTrue(limiter.addConn(ip("1.2.3.4")), "the extra removals gave no extra room");
        }
        assertFalse(limiter.addConn(ip("1.2.3.4")));
    }

    @Test
    void ipv4MappedIpv6IsIpv6AsInGo() {
        ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(1)))));
        IpAddress mapped = ip("::ffff:1.2.3.4");
        assertTrue(mapped.ipv6());
        assertTrue(limiter.addConn(ip("1.2.3.4")));
        assertFalse(limiter.addConn(ip("1.2.3.4")));
        assertTrue(limiter.addConn(mapped), "counted under the IPv6 limits, not the IPv4 /32");
        // All mapped addresses share ::/56 (and ::/48) in go: 8 at once.
        for (int i = 0; i < 7; i++) {
            assertTrue(limiter.addConn(ip("::ffff:9.9.9." + i)));
        }
        assertFalse(limiter.addConn(ip("::ffff:8.8.8.8")));
        // The loopback exemption is for 127.0.0.0/8 and ::1 only: a mapped 127.0.0.1 is not exempt.
        ConnLimiter blocking = new ConnLimiter(ConnLimiterConfig.defaults()
                .withSubnetLimitsV6(List.of(new ConnLimitPerSubnet(0, LimitValue.blockAll()))));
        assertTrue(blocking.addConn(ip("::1")));
        assertFalse(blocking.addConn(ip("::ffff:127.0.0.1")));
        // IpAddress.of(InetAddress) cannot see the mapping Java erased: that address is IPv4.
        assertFalse(IpAddress.of(mapped.toInetAddress()).ipv6());
    }

    @Nested
    class AllowlistRegistration {

        @Test
        void unconstrainedNetworksGetTheAllowlistedConnCount() {
            ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults());
            int added = limiter.registerAllowlisted(List.of(IpNetwork.parse("1.2.3.0/24"),
                    IpNetwork.parse("2001:db8::/32")), LimitValue.of(16));
            assertEquals(2, added);
            assertEquals(List.of(NetworkPrefixLimit.of("1.2.3.0/24", LimitValue.of(16)),
                    NetworkPrefixLimit.of("127.0.0.0/8", LimitValue.unlimited())), limiter.config().networkPrefixLimitsV4());
            assertEquals(List.of(NetworkPrefixLimit.of("::1/128", LimitValue.unlimited()),
                    NetworkPrefixLimit.of("2001:db8::/32", LimitValue.of(16))), limiter.config().networkPrefixLimitsV6());
            for (int i = 0; i < 16; i++) {
                assertTrue(limiter.addConn(ip("1.2.3.4")), "beyond the /32 limit of 8: " + i);
            }
            assertFalse(limiter.addConn(ip("1.2.3.99")), "the /24 holds 16 together");
            for (int i = 0; i < 16; i++) {
                assertTrue(limiter.addConn(ip("2001:db8::1")));
            }
            assertFalse(limiter.addConn(ip("2001:db8::1")));
        }

        @Test
        void doesNotOverrideExplicitLimits() {
            ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                    NetworkPrefixLimit.of("1.2.3.0/24", LimitValue.of(1)))));
            assertEquals(0, limiter.registerAllowlisted(List.of(IpNetwork.parse("1.2.3.0/24")), LimitValue.of(100)));
            assertEquals(1, limiter.registerAllowlisted(List.of(IpNetwork.parse("1.2.3.4/32"),
                    IpNetwork.parse("1.2.3.4/32")), LimitValue.of(100)), "each network once");
            assertEquals(List.of(NetworkPrefixLimit.of("1.2.3.4/32", LimitValue.of(100)),
                    NetworkPrefixLimit.of("1.2.3.0/24", LimitValue.of(1))), limiter.config().networkPrefixLimitsV4());
            assertTrue(limiter.addConn(ip("1.2.3.5")));
            assertFalse(limiter.addConn(ip("1.2.3.6")), "the explicit limit of 1 stands");
        }

        @Test
        void countsOfExistingNetworksSurviveRegistration() {
            ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                    NetworkPrefixLimit.of("10.0.0.0/8", LimitValue.of(2)))));
            assertTrue(limiter.addConn(ip("10.0.0.1")));
            limiter.registerAllowlisted(List.of(IpNetwork.parse("192.0.2.0/24")), LimitValue.of(5));
            assertTrue(limiter.addConn(ip("10.0.0.2")));
            assertFalse(limiter.addConn(ip("10.0.0.3")), "the count of 10.0.0.0/8 was kept");
            limiter.removeConn(ip("10.0.0.1"));
            limiter.removeConn(ip("10.0.0.2"));
            assertEquals(0, limiter.countedTotal());
        }
    }

    @Test
    void thousandsOfNetworksStayCorrect() {
        Random random = new Random(7);
        List<NetworkPrefixLimit> limits = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            int length = 8 + random.nextInt(25);
            limits.add(new NetworkPrefixLimit(new IpNetwork(randomV4(random), length), LimitValue.of(1 + random.nextInt(3))));
        }
        ConnLimiter limiter = new ConnLimiter(v4PerAddress(1).withNetworkPrefixLimitsV4(limits));
        List<NetworkPrefixLimit> sorted = limiter.config().networkPrefixLimitsV4();
        // A model: the first containing network in the sorted list decides, else the /32 limit of 1.
        java.util.Map<Object, Integer> model = new java.util.HashMap<>();
        List<IpAddress> admitted = new ArrayList<>();
        for (int q = 0; q < 5_000; q++) {
            InetAddress address = q % 2 == 0 ? randomV4(random)
                    : near(random, sorted.get(random.nextInt(sorted.size())).network().address());
            NetworkPrefixLimit decider = sorted.stream().filter(l -> l.network().contains(address)).findFirst()
                    .orElse(null);
            Object key = decider == null ? address : decider.network();
            long cap = decider == null ? 1 : decider.connCount().capacity();
            int count = model.getOrDefault(key, 0);
            boolean expected = count + 1 <= cap;
            assertEquals(expected, limiter.addConn(IpAddress.of(address)), address::toString);
            if (expected) {
                model.put(key, count + 1);
                admitted.add(IpAddress.of(address));
            }
        }
        admitted.forEach(limiter::removeConn);
        assertEquals(0, limiter.countedTotal());
        assertEquals(0, limiter.subnetCounterCount());
    }

    /**
     * Threads add and remove connections of a few crowded addresses; the number admitted at once
     * never exceeds a cap, and nothing is left counted at the end.
     */
    @Test
    void concurrentAddsAndRemovesNeverExceedACapAndLeaveNothing() throws Exception {
        int perAddress = 3;
        int perSlash120 = 5;
        ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(perAddress)),
                        new ConnLimitPerSubnet(24, LimitValue.of(7))))
                .withSubnetLimitsV6(List.of(new ConnLimitPerSubnet(128, LimitValue.of(perAddress)),
                        new ConnLimitPerSubnet(120, LimitValue.of(perSlash120))))
                .withNetworkPrefixLimitsV4(List.of(NetworkPrefixLimit.of("10.0.0.0/30", LimitValue.of(4)))));
        List<IpAddress> addresses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            addresses.add(ip("192.0.2." + i));
            addresses.add(ip("2001:db8::" + i));
            addresses.add(ip("10.0.0." + (i % 4)));
        }
        ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();
        AtomicLong admitted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(seed);
                List<IpAddress> held = new ArrayList<>();
                start.await();
                for (int i = 0; i < 20_000; i++) {
                    if (!held.isEmpty() && random.nextInt(3) == 0) {
                        IpAddress ip = held.remove(random.nextInt(held.size()));
                        for (String group : groups(ip)) {
                            open.get(group).decrementAndGet();
                        }
                        limiter.removeConn(ip);
                        continue;
                    }
                    IpAddress ip = addresses.get(random.nextInt(addresses.size()));
                    if (limiter.addConn(ip)) {
                        admitted.incrementAndGet();
                        held.add(ip);
                        for (String group : groups(ip)) {
                            int now = open.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
                            int cap = group.startsWith("net") ? 4 : group.startsWith("/24") ? 7
                                    : group.startsWith("/120") ? perSlash120 : perAddress;
                            if (now > cap) {
                                throw new AssertionError(group + " has " + now + " open, cap " + cap);
                            }
                        }
                    } else {
                        refused.incrementAndGet();
                    }
                }
                for (IpAddress ip : held) {
                    for (String group : groups(ip)) {
                        open.get(group).decrementAndGet();
                    }
                    limiter.removeConn(ip);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(admitted.get() > 1_000 && refused.get() > 1_000,
                "both outcomes were exercised: " + admitted + " admitted, " + refused + " refused");
        assertEquals(0, limiter.countedTotal());
        assertEquals(0, limiter.subnetCounterCount());
    }

    /** The counters an admitted connection of {@code ip} occupies, named for the test's bookkeeping. */
    private static List<String> groups(IpAddress ip) {
        if (!ip.ipv6() && IpNetwork.parse("10.0.0.0/30").contains(ip.toInetAddress())) {
            return List.of("net");
        }
        return ip.ipv6()
                ? List.of("/128 " + ip, "/120 " + ip.mask(120))
                : List.of("/32 " + ip, "/24 " + ip.mask(24));
    }

    private static InetAddress randomV4(Random random) {
        byte[] b = new byte[4];
        random.nextBytes(b);
        b[0] = (byte) (10 + random.nextInt(3));
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress near(Random random, InetAddress base) {
        byte[] b = base.getAddress();
        b[3] = (byte) random.nextInt(256);
        if (random.nextBoolean()) {
            b[2] = (byte) random.nextInt(256);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
