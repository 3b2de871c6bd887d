package org.jrcmgr.impl.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports of go-libp2p's {@code allowlist_test.go} and what the trie adds. */
class AllowlistTest {

    private static final PeerId PEER_A = PeerId.random();
    private static final PeerId PEER_B = PeerId.random();
    private static final Multiaddr MULTIADDR_A = Multiaddr.parse("/ip4/1.2.3.4/tcp/1234");
    private static final Multiaddr MULTIADDR_B = Multiaddr.parse("/ip4/2.2.3.4/tcp/1234");

    private static Multiaddr ma(String text) {
        return Multiaddr.parse(text);
    }

    @Test
    void allowedSimple() {
        Allowlist allowlist = new Allowlist();
        Multiaddr ma = ma("/ip4/1.2.3.4/tcp/1234");
        allowlist.add(ma);
        assertTrue(allowlist.allowed(ma));
        assertTrue(allowlist.allowed(ma("/ip4/1.2.3.4/udp/9/quic-v1")), "the transport suffix does not matter");
    }

    static Stream<Arguments> allowedWithPeerCases() {
        return Stream.of(
                Arguments.of("Blocked", List.of("/ip4/1.2.3.1"), MULTIADDR_A, false, false),
                Arguments.of("Blocked wrong peer", List.of("/ip4/1.2.3.4/p2p/" + PEER_B), MULTIADDR_A, true, false),
                Arguments.of("allowed on network", List.of("/ip4/1.2.3.0/ipcidr/24"), MULTIADDR_A, true, true),
                Arguments.of("Blocked peer not on network", List.of("/ip4/1.2.3.0/ipcidr/24"), MULTIADDR_A, true, true),
                Arguments.of("allowed. right network, right peer", List.of("/ip4/1.2.3.0/ipcidr/24/p2p/" + PEER_A),
                        MULTIADDR_A, true, true),
                Arguments.of("allowed. right network, no peer", List.of("/ip4/1.2.3.0/ipcidr/24"), MULTIADDR_A,
                        true, true),
                Arguments.of("Blocked. right network, wrong peer", List.of("/ip4/1.2.3.0/ipcidr/24/p2p/" + PEER_B),
                        MULTIADDR_A, true, false),
                Arguments.of("allowed peer any ip", List.of("/ip4/0.0.0.0/ipcidr/0"), MULTIADDR_A, true, true),
                Arguments.of("allowed peer multiple ips in allowlist",
                        List.of("/ip4/1.2.3.4/p2p/" + PEER_A, "/ip4/2.2.3.4/p2p/" + PEER_A), MULTIADDR_A, true, true),
                Arguments.of("allowed peer multiple ips in allowlist (duplicate)",
                        List.of("/ip4/1.2.3.4/p2p/" + PEER_A, "/ip4/1.2.3.4/p2p/" + PEER_A), MULTIADDR_A, true, true),
                Arguments.of("allowed peer multiple ips in allowlist (second address)",
                        List.of("/ip4/1.2.3.4/p2p/" + PEER_A, "/ip4/2.2.3.4/p2p/" + PEER_A), MULTIADDR_B, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowedWithPeerCases")
    void allowedWithPeer(String name, List<String> entries, Multiaddr endpoint, boolean connAllowed,
                         boolean peerAllowed) {
        Allowlist allowlist = new Allowlist();
        entries.forEach(e -> allowlist.add(ma(e)));
        assertEquals(connAllowed, allowlist.allowed(endpoint), "allowed");
        assertEquals(peerAllowed, allowlist.allowedPeerAndMultiaddr(PEER_A, endpoint), "allowedPeerAndMultiaddr");
    }

    @ParameterizedTest
    @MethodSource("removedCases")
    void removed(String entry) {
        Allowlist allowlist = new Allowlist();
        Multiaddr endpoint = ma("/ip4/1.2.3.4");
        allowlist.add(ma(entry));
        assertTrue(allowlist.allowedPeerAndMultiaddr(PEER_A, endpoint));
        assertTrue(allowlist.remove(ma(entry)));
        assertFalse(allowlist.allowedPeerAndMultiaddr(PEER_A, endpoint));
        assertFalse(allowlist.allowed(endpoint));
        assertEquals(0, allowlist.size());
    }

    static Stream<String> removedCases() {
        return Stream.of("/ip4/1.2.3.4", "/ip4/1.2.3.4/p2p/" + PEER_A, "/ip4/0.0.0.0/ipcidr/0",
                "/ip4/0.0.0.0/ipcidr/0/p2p/" + PEER_A);
    }

    @Test
    void duplicatesAreKeptAndRemoveTakesOneAtATime() {
        Allowlist allowlist = new Allowlist();
        Multiaddr entry = ma("/ip4/10.0.0.0/ipcidr/8");
        allowlist.add(entry);
        allowlist.add(ma("/ip4/10.9.9.9/ipcidr/8")); // the same network, host bits ignored
        assertEquals(2, allowlist.size());
        assertTrue(allowlist.remove(entry));
        assertTrue(allowlist.allowed(ma("/ip4/10.1.1.1")));
        assertTrue(allowlist.remove(entry));
        assertFalse(allowlist.allowed(ma("/ip4/10.1.1.1")));
        assertFalse(allowlist.remove(entry), "removing an absent entry is no error");
        assertEquals("Allowlist[1.2.3.4/32, 10.0.0.0/8, 10.0.0.0/8 " + PEER_A + "]",
                Allowlist.of(List.of(ma("/ip4/10.0.0.0/ipcidr/8"), ma("/ip4/1.2.3.4"),
                        ma("/ip4/10.0.0.0/ipcidr/8/p2p/" + PEER_A))).toString(), "address order");
    }

    @Test
    void removeOnlyMatchesTheSamePeerConstraint() {
        Allowlist allowlist = new Allowlist();
        allowlist.add(ma("/ip4/1.2.3.4/p2p/" + PEER_A));
        assertFalse(allowlist.remove(ma("/ip4/1.2.3.4")), "an unconstrained entry is another entry");
        assertFalse(allowlist.remove(ma("/ip4/1.2.3.4/p2p/" + PEER_B)));
        assertFalse(allowlist.remove(ma("/ip4/1.2.3.0/ipcidr/24/p2p/" + PEER_A)), "another network");
        assertTrue(allowlist.allowedPeerAndMultiaddr(PEER_A, ma("/ip4/1.2.3.4")));
        assertTrue(allowlist.remove(ma("/ip4/1.2.3.4/tcp/1/p2p/" + PEER_A)), "other components are ignored");
        assertEquals(0, allowlist.size());
    }

    @Test
    void endpointsWithoutIpAreNeverAllowed() {
        Allowlist allowlist = Allowlist.of(List.of(ma("/ip4/0.0.0.0/ipcidr/0"), ma("/ip6/::/ipcidr/0")));
        assertFalse(allowlist.allowed(ma("/dns4/example.com/tcp/1")));
        assertFalse(allowlist.allowedPeerAndMultiaddr(PEER_A, ma("/p2p/" + PEER_A)));
        assertTrue(allowlist.allowed(ma("/ip6/2001:db8::1/tcp/1")));
    }

    @Test
    void familiesAreSeparate() {
        Allowlist allowlist = Allowlist.of(List.of(ma("/ip6/::/ipcidr/0")));
        assertFalse(allowlist.allowed(ma("/ip4/1.2.3.4")), "::/0 does not contain IPv4, as in go");
        allowlist = Allowlist.of(List.of(ma("/ip4/0.0.0.0/ipcidr/0")));
        assertFalse(allowlist.allowed(ma("/ip6/2001:db8::1")));
    }

    @Test
    void ipv4MappedEntriesAndEndpointsAreIpv4AsInGo() {
        Allowlist allowlist = Allowlist.of(List.of(ma("/ip6/::ffff:1.2.3.0/ipcidr/120")));
        assertTrue(allowlist.allowed(ma("/ip4/1.2.3.77")), "::ffff:1.2.3.0/120 is 1.2.3.0/24");
        assertTrue(allowlist.allowed(ma("/ip6/::ffff:1.2.3.77")));
        assertFalse(allowlist.allowed(ma("/ip4/1.2.4.1")));
        assertEquals(List.of(IpNetwork.parse("1.2.3.0/24")), allowlist.unconstrainedNetworks());

        allowlist = Allowlist.of(List.of(ma("/ip4/5.6.7.8")));
        assertTrue(allowlist.allowed(ma("/ip6/::ffff:5.6.7.8/tcp/1")), "a mapped endpoint matches IPv4 entries");

        allowlist = Allowlist.of(List.of(ma("/ip6/::ffff:5.6.7.8")));
        assertTrue(allowlist.allowed(ma("/ip4/5.6.7.8")));
        assertTrue(allowlist.remove(ma("/ip4/5.6.7.8")), "the same network, written as IPv4");

        allowlist = Allowlist.of(List.of(ma("/ip6/::ffff:0.0.0.0/ipcidr/64")));
        assertFalse(allowlist.allowed(ma("/ip4/1.2.3.4")), "a mask below 96 is an IPv6 network");
        assertTrue(allowlist.allowed(ma("/ip6/::1")));
    }

    @Test
    void badEntriesAreRefusedWithMessagesNamingThem() {
        Allowlist allowlist = new Allowlist();
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> allowlist.add(ma("/p2p/" + PEER_A)));
        assertTrue(bare.getMessage().contains("missing ip address"), bare.getMessage());
        assertTrue(bare.getMessage().contains("/p2p/" + PEER_A), bare.getMessage());

        IllegalArgumentException dns = assertThrows(IllegalArgumentException.class,
                () -> allowlist.add(ma("/dns4/example.com/tcp/1")));
        assertTrue(dns.getMessage().contains("missing ip address"), dns.getMessage());

        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
                () -> allowlist.add(ma("/ip4/1.2.3.4/ipcidr/33")));
        assertTrue(mask.getMessage().contains("/ipcidr/33") && mask.getMessage().contains("32 bits"),
                mask.getMessage());

        IllegalArgumentException twoPeers = assertThrows(IllegalArgumentException.class,
                () -> allowlist.add(ma("/ip4/1.2.3.4/p2p/" + PEER_A + "/p2p-circuit/p2p/" + PEER_B)));
        assertTrue(twoPeers.getMessage().contains("more than one /p2p peer"), twoPeers.getMessage());

        IllegalArgumentException twoIps = assertThrows(IllegalArgumentException.class,
                () -> allowlist.add(ma("/ip4/1.2.3.4/ip6/::1")));
        assertTrue(twoIps.getMessage().contains("more than one IP address"), twoIps.getMessage());

        assertThrows(IllegalArgumentException.class, () -> allowlist.remove(ma("/p2p/" + PEER_A)));
        assertThrows(IllegalArgumentException.class, () -> Allowlist.of(List.of(ma("/ip4/1.1.1.1"),
                ma("/tcp/1"))));
        assertEquals(0, allowlist.size(), "a refused entry changes nothing");

        // A malformed peer id never becomes a Multiaddr: the parser names the input and the problem.
        IllegalArgumentException peer = assertThrows(IllegalArgumentException.class,
                () -> ma("/ip4/1.2.3.4/p2p/notapeer"));
        assertTrue(peer.getMessage().contains("/ip4/1.2.3.4/p2p/notapeer"), peer.getMessage());
    }

    @Test
    void unconstrainedNetworksListsEachNetworkWithoutPeerOnce() {
        Allowlist allowlist = Allowlist.of(List.of(ma("/ip4/1.2.3.4"), ma("/ip4/1.2.3.4/tcp/1"),
                ma("/ip4/10.0.0.0/ipcidr/8"), ma("/ip4/2.2.2.2/p2p/" + PEER_A), ma("/ip6/2001:db8::/ipcidr/32")));
        assertEquals(List.of(IpNetwork.parse("1.2.3.4/32"), IpNetwork.parse("10.0.0.0/8"),
                IpNetwork.parse("2001:db8::/32")), allowlist.unconstrainedNetworks());
        assertEquals(5, allowlist.size());
    }

    /**
     * Ten thousand entries in the shape of go's {@code BenchmarkAllowlistCheck} (10 % with a peer,
     * 5 % IPv6) plus random networks; random queries answer exactly as a linear scan does.
     */
    @Test
    void tenThousandEntriesAnswerLikeALinearScan() throws Exception {
        Random random = new Random(42);
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            peers.add(PeerId.random());
        }
        Allowlist allowlist = new Allowlist();
        List<NaiveEntry> naive = new ArrayList<>();
        List<Multiaddr> added = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            boolean ipv6 = i % 20 == 0;
            InetAddress address = randomAddress(random, ipv6, i % 3 == 0);
            int bits = ipv6 ? 128 : 32;
            int length = i % 4 == 0 ? bits - random.nextInt(ipv6 ? 40 : 16) : bits;
            PeerId peer = i % 10 == 0 ? peers.get(random.nextInt(peers.size())) : null;
            String text = (ipv6 ? "/ip6/" : "/ip4/") + address.getHostAddress()
                    + (length == bits ? "" : "/ipcidr/" + length) + (peer == null ? "" : "/p2p/" + peer);
            Multiaddr entry = ma(text);
            allowlist.add(entry);
            added.add(entry);
            naive.add(new NaiveEntry(new IpNetwork(address, length), peer));
        }
        // Remove a few hundred again, from both lists.
        for (int i = 0; i < 500; i++) {
            int index = random.nextInt(added.size());
            assertTrue(allowlist.remove(added.remove(index)));
            naive.remove(index);
        }
        assertEquals(naive.size(), allowlist.size());
        assertTrue(allowlist.toString().endsWith(" more]"), "a long list is cut");

        int hits = 0;
        for (int q = 0; q < 4_000; q++) {
            NaiveEntry near = naive.get(random.nextInt(naive.size()));
            InetAddress query = q % 2 == 0
                    ? nearby(random, near.network().address())
                    : randomAddress(random, q % 7 == 0, q % 3 == 0);
            Multiaddr endpoint = ma((query.getAddress().length == 16 ? "/ip6/" : "/ip4/")
                    + query.getHostAddress() + "/tcp/4001");
            PeerId peer = peers.get(random.nextInt(peers.size()));
            byte[] queryBytes = query.getAddress();
            boolean expectAllowed = false;
            boolean expectWithPeer = false;
            for (NaiveEntry e : naive) {
                if (e.contains(queryBytes)) {
                    expectAllowed = true;
                    expectWithPeer |= e.peer() == null || e.peer().equals(peer);
                }
            }
            assertEquals(expectAllowed, allowlist.allowed(endpoint), endpoint::toString);
            assertEquals(expectWithPeer, allowlist.allowedPeerAndMultiaddr(peer, endpoint), endpoint::toString);
            hits += expectAllowed ? 1 : 0;
        }
        assertTrue(hits > 500, "the queries hit entries often enough to mean something: " + hits);

        // Readers never block each other nor a writer: hammer lookups while entries come and go.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(2);
        List<Future<?>> readers = new ArrayList<>();
        Multiaddr stable = added.get(0);
        Multiaddr stableEndpoint = ma(stable.components().get(0) + "/tcp/1");
        for (int t = 0; t < 2; t++) {
            readers.add(pool.submit(() -> {
                started.countDown();
                while (!stop.get()) {
                    assertTrue(allowlist.allowed(stableEndpoint));
                }
                return null;
            }));
        }
        started.await();
        for (int i = 1; i < 1_000; i++) {
            Multiaddr entry = added.get(i);
            allowlist.remove(entry);
            allowlist.add(entry);
        }
        stop.set(true);
        for (Future<?> reader : readers) {
            reader.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(naive.size(), allowlist.size());
    }

    /** The oracle: a network as bytes, compared bit by bit, and its peer constraint or null. */
    private record NaiveEntry(IpNetwork network, byte[] bytes, int length, PeerId peer) {
        NaiveEntry(IpNetwork network, PeerId peer) {
            this(network, network.address().getAddress(), network.prefixLength(), peer);
        }

        boolean contains(byte[] address) {
            if (address.length != bytes.length) {
                return false;
            }
            int whole = length / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != bytes[i]) {
                    return false;
                }
            }
            int rest = length % 8;
            int mask = (0xff00 >>> rest) & 0xff;
            return rest == 0 || (address[whole] & mask) == (bytes[whole] & mask);
        }
    }

    /** A random address, from a small space when {@code crowded} so that entries overlap. */
    private static InetAddress randomAddress(Random random, boolean ipv6, boolean crowded) {
        byte[] bytes = new byte[ipv6 ? 16 : 4];
        random.nextBytes(bytes);
        if (crowded) {
            bytes[0] = (byte) (ipv6 ? 0x20 : 10);
            bytes[1] = (byte) random.nextInt(4);
        }
        try {
            InetAddress address = InetAddress.getByAddress(bytes);
            // A random 16-byte value is IPv4-mapped with negligible probability; keep the family anyway.
            return address.getAddress().length == bytes.length ? address : randomAddress(random, ipv6, crowded);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An address sharing a random-length prefix with {@code base}. */
    private static InetAddress nearby(Random random, InetAddress base) {
        byte[] bytes = base.getAddress();
        int keepBits = random.nextInt(bytes.length * 8 + 1);
        for (int bit = keepBits; bit < bytes.length * 8; bit++) {
            if (random.nextBoolean()) {
                bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            }
        }
        try {
            InetAddress address = InetAddress.getByAddress(bytes);
            return address.getAddress().length == bytes.length ? address : base;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
