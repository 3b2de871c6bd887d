package org.jrcmgr.impl.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.jrcmgr.Multiaddr;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.net.PrefixRateLimit;
import org.jrcmgr.impl.net.RateLimit;
import org.jrcmgr.impl.net.SubnetRateLimit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ports of go-libp2p's {@code x/rate/limiter_test.go}. go's tests sleep and allow a 5 % error
 * margin; here a fake clock is moved by hand, so every count is exact.
 */
class RateLimiterTest {

    private final FakeClock clock = new FakeClock();

    private static IpAddress ip(String literal) {
        return ConnLimiterTest.ip(literal);
    }

    private static void assertAllows(RateLimiter limiter, IpAddress ip, int allowed) {
        for (int i = 0; i < allowed; i++) {
            assertTrue(limiter.allow(ip), "event " + i + " of " + allowed);
        }
        assertFalse(limiter.allow(ip), "event " + allowed + " is over the limit");
    }

    @Test
    void limiterGlobalUnlimited() {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.unlimited(), clock);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.allow(ip("127.0.0.1")));
        }
    }

    /** go's TestLimiterGlobal: burst at once, then what the rate refills while "sleeping". */
    @ParameterizedTest
    @CsvSource({"0.8, 1", "10, 20", "100, 200", "1000, 2000"})
    void limiterGlobal(double rps, int burst) {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.unlimited().withGlobalLimit(RateLimit.of(rps, burst)),
                clock);
        IpAddress addr = ip("127.0.0.1");
        assertAllows(limiter, addr, burst);
        double sleepSeconds = 0.1;
        int requests = (int) (sleepSeconds * rps);
        if (requests < 1) {
            sleepSeconds = 1 / rps + 0.001;
            requests = 1;
        }
        clock.advanceSeconds(sleepSeconds);
        assertAllows(limiter, addr, requests);
    }

    /** go's TestLimiterNetworkPrefix: a listed unlimited prefix bypasses the global limit. */
    @Test
    void limiterNetworkPrefix() {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.unlimited()
                .withNetworkPrefixLimits(List.of(PrefixRateLimit.of("127.0.0.0/24", RateLimit.unlimited())))
                .withGlobalLimit(RateLimit.of(10, 10)), clock);
        for (int i = 0; i < 110; i++) {
            assertTrue(limiter.allow(ip("127.0.0.1")));
        }
        assertAllows(limiter, ip("1.1.1.1"), 10);
        assertFalse(limiter.allow(ip("1.1.1.1")));
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.allow(ip("127.0.0.1")));
        }
    }

    /** go's TestLimiterNetworkPrefixWidth: the narrow prefix is exhausted first and spares the wide one. */
    @Test
    void limiterNetworkPrefixWidth() {
        int wide = 20;
        int narrow = 10;
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.unlimited().withNetworkPrefixLimits(List.of(
                PrefixRateLimit.of("1.1.0.0/16", RateLimit.of(0.01, wide)),
                PrefixRateLimit.of("1.1.1.0/24", RateLimit.of(0.01, narrow)))), clock);
        for (int i = 0; i < 2 * wide; i++) {
            limiter.allow(ip("1.1.1.1"));
        }
        assertFalse(limiter.allow(ip("1.1.1.1")));
        for (int i = 0; i < wide - narrow; i++) {
            assertTrue(limiter.allow(ip("1.1.0.1")));
        }
        assertFalse(limiter.allow(ip("1.1.0.1")));
    }

    @Test
    void prefixedAddressesSkipSubnetAndGlobalBuckets() {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.defaults()
                .withGlobalLimit(RateLimit.of(1, 1)), clock);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.allow(ip("127.0.0.1")));
            assertTrue(limiter.allow(ip("::1")));
        }
        assertEquals(0, limiter.subnetBucketCount());
        assertTrue(limiter.allow(ip("1.2.3.4")));
        assertFalse(limiter.allow(ip("5.6.7.8")), "the global bucket is shared");
    }

    @Test
    void defaultsLimitEachAddressTo16ThenOneEveryFiveSeconds() {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.defaults(), clock);
        assertAllows(limiter, ip("192.0.2.1"), 16);
        assertTrue(limiter.allow(ip("192.0.2.2")), "another address has its own bucket");
        clock.advance(Duration.ofSeconds(5));
        assertAllows(limiter, ip("192.0.2.1"), 1);
        // IPv6: 16 per /56 and 80 per /48.
        for (int subnet = 0; subnet < 5; subnet++) {
            for (int i = 0; i < 16; i++) {
                assertTrue(limiter.allow(ConnLimiterTest.withUint16("2001:db8:1::1", 6, subnet << 8)));
            }
        }
        assertFalse(limiter.allow(ConnLimiterTest.withUint16("2001:db8:1::1", 6, 6 << 8)), "the /48 gave 80");
        assertTrue(limiter.allow(ip("2001:db8:2::1")));
    }

    @Test
    void addresslessConnectionsShareOneBucketAsInGo() {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.defaults(), clock);
        Multiaddr relayed = Multiaddr.parse("/dns4/relay.example/tcp/1/p2p-circuit");
        for (int i = 0; i < 16; i++) {
            assertTrue(limiter.allow(relayed));
        }
        assertFalse(limiter.allowWithoutAddress(), "the shared /56 bucket of 16 is empty");
        assertTrue(limiter.allow(Multiaddr.parse("/ip6/::/tcp/1")), "not the bucket of ::/56");
        assertTrue(limiter.allow(Multiaddr.parse("/ip4/192.0.2.9/tcp/1")));
    }

    @Test
    void ipv4MappedEndpointsUseTheIpv6Limits() {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.defaults(), clock);
        for (int i = 0; i < 16; i++) {
            assertTrue(limiter.allow(Multiaddr.parse("/ip6/::ffff:10.0.0." + i + "/tcp/1")));
        }
        assertFalse(limiter.allow(Multiaddr.parse("/ip6/::ffff:10.9.9.9/tcp/1")), "all mapped share ::/56");
        assertTrue(limiter.allow(Multiaddr.parse("/ip4/10.9.9.9/tcp/1")), "the IPv4 address has a bucket of its own");
        assertFalse(limiter.allow(Multiaddr.parse("/ip6/::ffff:127.0.0.1/tcp/1")), "127.0.0.0/8 is IPv4 only");
    }

    @Nested
    class SubnetLimiter {

        /**
         * Addresses from {@code start} on, one after the other, back to {@code start} when they
         * leave its {@code /prefixLength} network (go's {@code subnetAddrs}, which starts at the
         * prefix's unmasked address).
         */
        private Supplier<IpAddress> addressesFrom(String start, int prefixLength) {
            IpAddress first = ip(start);
            IpAddress[] next = {first};
            return () -> {
                IpAddress current = next[0];
                if (!current.mask(prefixLength).equals(first.mask(prefixLength))) {
                    current = first;
                }
                next[0] = current.ipv6() ? new IpAddress(true, current.high(), current.low() + 1)
                        : new IpAddress(false, current.high() + (1L << 32), 0);
                return current;
            };
        }

        private void assertOutcome(boolean outcome, SubnetRateLimiter limiter, Supplier<IpAddress> addresses, int n) {
            for (int i = 0; i < n; i++) {
                assertEquals(outcome, limiter.allow(addresses.get(), clock.getAsLong()), "call " + i);
            }
        }

        @Test
        void simple() {
            SubnetRateLimit v4Small = new SubnetRateLimit(24, RateLimit.of(0.0001, 10));
            SubnetRateLimit v4Large = new SubnetRateLimit(16, RateLimit.of(0.0001, 19));
            SubnetRateLimit v6Small = new SubnetRateLimit(64, RateLimit.of(0.0001, 10));
            SubnetRateLimit v6Large = new SubnetRateLimit(48, RateLimit.of(0.0001, 17));
            SubnetRateLimiter limiter = new SubnetRateLimiter(List.of(v4Large, v4Small), List.of(v6Large, v6Small),
                    Duration.ZERO, clock.getAsLong());
            Supplier<IpAddress> v4a = addressesFrom("192.168.1.1", 24);
            Supplier<IpAddress> v4b = addressesFrom("192.168.2.1", 24);
            Supplier<IpAddress> v6a = addressesFrom("2001:0:0:1::", 64);
            Supplier<IpAddress> v6b = addressesFrom("2001:0:0:2::", 64);
            assertOutcome(true, limiter, v4a, 10);
            assertOutcome(false, limiter, v4a, 19);
            assertOutcome(true, limiter, v4b, 19 - 10);
            assertOutcome(false, limiter, v4b, 19);
            assertOutcome(true, limiter, v6a, 10);
            assertOutcome(false, limiter, v6a, 17);
            assertOutcome(true, limiter, v6b, 17 - 10);
            assertOutcome(false, limiter, v6b, 17);
        }

        @Test
        void complex() {
            List<SubnetRateLimit> limits = List.of(
                    new SubnetRateLimit(32, RateLimit.of(0.01, 10)),
                    new SubnetRateLimit(24, RateLimit.of(0.01, 20)),
                    new SubnetRateLimit(16, RateLimit.of(0.01, 30)),
                    new SubnetRateLimit(8, RateLimit.of(0.01, 40)));
            SubnetRateLimiter limiter = new SubnetRateLimiter(limits, List.of(), Duration.ZERO, clock.getAsLong());
            List<Supplier<IpAddress>> addresses = List.of(addressesFrom("192.168.1.1", 32),
                    addressesFrom("192.168.1.2", 24), addressesFrom("192.168.2.1", 16), addressesFrom("192.0.1.1", 8));
            for (int i = 0; i < limits.size(); i++) {
                int previous = i == 0 ? 0 : ((RateLimit.Bucket) limits.get(i - 1).limit()).burst();
                int burst = ((RateLimit.Bucket) limits.get(i).limit()).burst();
                assertOutcome(true, limiter, addresses.get(i), burst - previous);
                assertOutcome(false, limiter, addresses.get(i), burst);
            }
        }

        @Test
        void zero() {
            SubnetRateLimiter limiter = new SubnetRateLimiter(List.of(), List.of(), Duration.ZERO, clock.getAsLong());
            for (int i = 0; i < 10_000; i++) {
                assertTrue(limiter.allow(ip("::1"), clock.getAsLong()));
            }
            assertEquals(0, limiter.bucketCount());
        }

        @Test
        void unlimitedSubnetLimitsKeepNoBuckets() {
            SubnetRateLimiter limiter = new SubnetRateLimiter(List.of(new SubnetRateLimit(32, RateLimit.unlimited())),
                    List.of(), Duration.ZERO, clock.getAsLong());
            for (int i = 0; i < 1000; i++) {
                assertTrue(limiter.allow(ip("1.2.3.4"), clock.getAsLong()));
            }
            assertEquals(0, limiter.bucketCount());
        }

        /** go's TestSubnetLimiterCleanup: a bucket is evicted once full again plus the grace period. */
        @ParameterizedTest
        @CsvSource({"1, 10, 10", "0.1, 2, 20", "1, 100, 100", "3, 6, 2"})
        void cleanup(double rps, int burst, double ttlSeconds) {
            SubnetRateLimiter limiter = new SubnetRateLimiter(List.of(),
                    List.of(new SubnetRateLimit(64, RateLimit.of(rps, burst))), Duration.ZERO, clock.getAsLong());
            IpAddress ip1 = ip("::1");
            IpAddress ip2 = ip("2001::");
            for (int i = 0; i < burst; i++) {
                assertTrue(limiter.allow(ip1, clock.getAsLong()));
            }
            for (int i = 0; i < burst / 2; i++) {
                assertTrue(limiter.allow(ip2, clock.getAsLong()));
            }
            double epsilon = 0.1;
            clock.advanceSeconds(ttlSeconds - epsilon); // just before ip1's bucket expires
            limiter.cleanUp(clock.getAsLong());
            assertEquals(1, limiter.bucketCount(), "ip2's bucket, full earlier, is gone");
            clock.advanceSeconds(2 * epsilon); // just after
            assertTrue(limiter.allow(ip2, clock.getAsLong()));
            limiter.cleanUp(clock.getAsLong());
            assertEquals(1, limiter.bucketCount(), "ip1's bucket is gone, ip2 has a new one");
        }

        @Test
        void sweepsByItselfAndEvictionChangesNoDecision() {
            Duration grace = Duration.ofMinutes(1);
            SubnetRateLimiter limiter = new SubnetRateLimiter(List.of(new SubnetRateLimit(32, RateLimit.of(1, 2))),
                    List.of(), grace, clock.getAsLong());
            for (int i = 0; i < 100; i++) {
                assertTrue(limiter.allow(ip("10.0.0." + i), clock.getAsLong()));
            }
            assertTrue(limiter.allow(ip("10.0.0.0"), clock.getAsLong()));
            assertFalse(limiter.allow(ip("10.0.0.0"), clock.getAsLong()), "two tokens, both taken");
            assertEquals(100, limiter.bucketCount());
            clock.advance(grace.plusSeconds(2)); // every bucket full for the grace period
            assertTrue(limiter.allow(ip("10.0.0.0"), clock.getAsLong()), "a sweep is due and runs");
            assertEquals(1, limiter.bucketCount(), "only the bucket just used remains");
            assertTrue(limiter.allow(ip("10.0.0.0"), clock.getAsLong()));
            assertFalse(limiter.allow(ip("10.0.0.0"), clock.getAsLong()), "the new bucket started full: two tokens");
        }
    }

    @Test
    void cleanUpThroughTheLimiter() {
        RateLimiter limiter = new RateLimiter(ConnRateLimiterConfig.defaults(), clock);
        assertTrue(limiter.allow(ip("192.0.2.1")));
        assertTrue(limiter.allow(ip("2001:db8::1")));
        assertEquals(3, limiter.subnetBucketCount());
        clock.advance(Duration.ofMinutes(2));
        limiter.cleanUp();
        assertEquals(0, limiter.subnetBucketCount());
    }
}
