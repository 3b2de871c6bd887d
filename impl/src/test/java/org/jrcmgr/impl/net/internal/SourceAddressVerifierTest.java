package org.jrcmgr.impl.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

import org.jrcmgr.LimitValue;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.net.IpNetwork;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.jrcmgr.impl.net.PrefixRateLimit;
import org.jrcmgr.impl.net.RateLimit;
import org.jrcmgr.impl.net.SubnetRateLimit;
import org.junit.jupiter.api.Test;

class SourceAddressVerifierTest {

    private static final double RPS = SourceAddressVerifier.SOURCE_ADDRESS_RPS;

    private static ConnLimiterConfig empty() {
        return ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of()).withNetworkPrefixLimitsV6(List.of())
                .withSubnetLimitsV4(List.of()).withSubnetLimitsV6(List.of());
    }

    @Test
    void rpsIsOneTokenPerTwoHandshakesOfFiveSeconds() {
        assertEquals(0.1, RPS, 1e-15);
    }

    /** go's TestNewVerifySourceAddressRateLimiter, "basic configuration". */
    @Test
    void basicConfiguration() {
        ConnLimiterConfig connLimits = empty()
                .withNetworkPrefixLimitsV4(List.of(NetworkPrefixLimit.of("192.168.0.0/16", LimitValue.of(10))))
                .withNetworkPrefixLimitsV6(List.of(NetworkPrefixLimit.of("2001:db8::/32", LimitValue.of(20))))
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(24, LimitValue.of(5))))
                .withSubnetLimitsV6(List.of(new ConnLimitPerSubnet(56, LimitValue.of(8))));
        assertEquals(new ConnRateLimiterConfig(
                List.of(PrefixRateLimit.of("192.168.0.0/16", RateLimit.of(RPS, 5)),
                        PrefixRateLimit.of("2001:db8::/32", RateLimit.of(RPS, 10))),
                RateLimit.unlimited(),
                List.of(new SubnetRateLimit(24, RateLimit.of(RPS, 2))),
                List.of(new SubnetRateLimit(56, RateLimit.of(RPS, 4))),
                Duration.ofMinutes(1)), SourceAddressVerifier.configFor(connLimits));
    }

    /** go's TestNewVerifySourceAddressRateLimiter, "empty configuration". */
    @Test
    void emptyConfiguration() {
        assertEquals(new ConnRateLimiterConfig(List.of(), RateLimit.unlimited(), List.of(), List.of(),
                Duration.ofMinutes(1)), SourceAddressVerifier.configFor(empty()));
    }

    /** go's TestNewVerifySourceAddressRateLimiter, "multiple network prefixes". */
    @Test
    void multipleNetworkPrefixes() {
        ConnLimiterConfig connLimits = empty()
                .withNetworkPrefixLimitsV4(List.of(NetworkPrefixLimit.of("192.168.0.0/16", LimitValue.of(10)),
                        NetworkPrefixLimit.of("10.0.0.0/8", LimitValue.of(20))))
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(24, LimitValue.of(5)),
                        new ConnLimitPerSubnet(16, LimitValue.of(10))));
        ConnRateLimiterConfig config = SourceAddressVerifier.configFor(connLimits);
        assertEquals(List.of(PrefixRateLimit.of("192.168.0.0/16", RateLimit.of(RPS, 5)),
                PrefixRateLimit.of("10.0.0.0/8", RateLimit.of(RPS, 10))), config.networkPrefixLimits());
        assertEquals(List.of(new SubnetRateLimit(24, RateLimit.of(RPS, 2)), new SubnetRateLimit(16, RateLimit.of(RPS, 5))),
                config.subnetLimitsV4());
        assertEquals(List.of(), config.subnetLimitsV6());
        assertEquals(Duration.ofMinutes(1), config.gracePeriod());
        assertEquals(RateLimit.unlimited(), config.globalLimit());
    }

    @Test
    void defaultsGiveFourUnverifiedHandshakesPerAddressAndLoopbackUnlimited() {
        ConnRateLimiterConfig config = SourceAddressVerifier.configFor(ConnLimiterConfig.defaults());
        assertEquals(List.of(PrefixRateLimit.of("127.0.0.0/8", RateLimit.unlimited()),
                PrefixRateLimit.of("::1/128", RateLimit.unlimited())), config.networkPrefixLimits());
        assertEquals(List.of(new SubnetRateLimit(32, RateLimit.of(RPS, 4))), config.subnetLimitsV4());
        assertEquals(List.of(new SubnetRateLimit(56, RateLimit.of(RPS, 4)), new SubnetRateLimit(48, RateLimit.of(RPS, 32))),
                config.subnetLimitsV6());
        FakeClock clock = new FakeClock();
        SourceAddressVerifier verifier = new SourceAddressVerifier(new RateLimiter(config, clock));
        for (int i = 0; i < 4; i++) {
            assertFalse(verifier.shouldVerify(ConnLimiterTest.ip("192.0.2.1")));
        }
        assertTrue(verifier.shouldVerify(ConnLimiterTest.ip("192.0.2.1")));
        clock.advance(Duration.ofSeconds(10));
        assertFalse(verifier.shouldVerify(ConnLimiterTest.ip("192.0.2.1")), "one more after 10 s");
        for (int i = 0; i < 1000; i++) {
            assertFalse(verifier.shouldVerify(ConnLimiterTest.ip("127.0.0.1")));
        }
    }

    @Test
    void blockAllAndHugeCountsMapToBursts() {
        ConnRateLimiterConfig config = SourceAddressVerifier.configFor(empty().withSubnetLimitsV4(List.of(
                new ConnLimitPerSubnet(32, LimitValue.blockAll()), new ConnLimitPerSubnet(24, LimitValue.of(1)),
                new ConnLimitPerSubnet(16, LimitValue.of(Long.MAX_VALUE - 1)))));
        assertEquals(List.of(new SubnetRateLimit(32, RateLimit.of(RPS, 0)), new SubnetRateLimit(24, RateLimit.of(RPS, 0)),
                new SubnetRateLimit(16, RateLimit.of(RPS, Integer.MAX_VALUE))), config.subnetLimitsV4());
    }

    /** go's TestVerifySourceAddressRateLimiter: ConnCount 2 per /32 gives one unverified handshake per address. */
    @Test
    void verifySourceAddressRateLimiter() throws Exception {
        ConnLimiter connLimiter = new ConnLimiter(ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(2)))));
        SourceAddressVerifier verifier = SourceAddressVerifier.forConnLimits(connLimiter.config());
        for (int i = 0; i < 10; i++) {
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName("1.2.3." + i), 4001);
            assertFalse(verifier.shouldVerify(addr));
            assertTrue(verifier.shouldVerify(addr));
        }
    }

    @Test
    void registeredAllowlistNetworksGetTheirOwnBucket() throws Exception {
        ConnLimiter connLimiter = new ConnLimiter(ConnLimiterConfig.defaults());
        connLimiter.registerAllowlisted(List.of(IpNetwork.parse("198.51.100.0/24")), LimitValue.of(20));
        SourceAddressVerifier verifier = SourceAddressVerifier.forConnLimits(connLimiter.config());
        for (int i = 0; i < 10; i++) {
            assertFalse(verifier.shouldVerify(InetAddress.getByName("198.51.100." + i)));
        }
        assertTrue(verifier.shouldVerify(InetAddress.getByName("198.51.100.200")), "20 / 2 shared by the network");
    }

    @Test
    void anythingButAResolvedInetSocketAddressMustBeVerified() {
        SourceAddressVerifier verifier = SourceAddressVerifier.forConnLimits(ConnLimiterConfig.defaults());
        assertTrue(verifier.shouldVerify(InetSocketAddress.createUnresolved("example.com", 1)));
        assertTrue(verifier.shouldVerify(new SocketAddress() {
            private static final long serialVersionUID = 1L;
        }));
    }
}
