package org.jrcmgr.impl.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.jrcmgr.LimitValue;
import org.junit.jupiter.api.Test;

class ConnLimiterConfigTest {

    @Test
    void defaultsAreGos() {
        ConnLimiterConfig defaults = ConnLimiterConfig.defaults();
        assertEquals(List.of(NetworkPrefixLimit.of("127.0.0.0/8", LimitValue.unlimited())),
                defaults.networkPrefixLimitsV4());
        assertEquals(List.of(NetworkPrefixLimit.of("::1/128", LimitValue.unlimited())),
                defaults.networkPrefixLimitsV6());
        assertEquals(List.of(new ConnLimitPerSubnet(32, LimitValue.of(8))), defaults.subnetLimitsV4());
        assertEquals(List.of(new ConnLimitPerSubnet(56, LimitValue.of(8)), new ConnLimitPerSubnet(48, LimitValue.of(64))),
                defaults.subnetLimitsV6());
    }

    /** go's TestSortedNetworkPrefixLimits. */
    @Test
    void sortedNetworkPrefixLimits() {
        LimitValue any = LimitValue.of(1);
        ConnLimiterConfig config = ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                NetworkPrefixLimit.of("1.2.0.0/16", any),
                NetworkPrefixLimit.of("1.2.3.0/28", any),
                NetworkPrefixLimit.of("1.2.3.4/32", any)));
        assertEquals(List.of(NetworkPrefixLimit.of("1.2.3.4/32", any), NetworkPrefixLimit.of("1.2.3.0/28", any),
                NetworkPrefixLimit.of("1.2.0.0/16", any)), config.networkPrefixLimitsV4());
    }

    @Test
    void sortIsStable() {
        ConnLimiterConfig config = ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                NetworkPrefixLimit.of("9.0.0.0/8", LimitValue.of(1)),
                NetworkPrefixLimit.of("1.2.3.0/24", LimitValue.of(2)),
                NetworkPrefixLimit.of("8.0.0.0/8", LimitValue.of(3))));
        assertEquals(List.of("1.2.3.0/24", "9.0.0.0/8", "8.0.0.0/8"), config.networkPrefixLimitsV4().stream()
                .map(l -> l.network().toString()).toList());
    }

    @Test
    void withersReplaceOneListEach() {
        ConnLimiterConfig config = ConnLimiterConfig.defaults()
                .withNetworkPrefixLimitsV4(List.of())
                .withSubnetLimitsV6(List.of(new ConnLimitPerSubnet(64, LimitValue.of(2))));
        assertEquals(List.of(), config.networkPrefixLimitsV4(), "an empty list removes the loopback exemption");
        assertEquals(ConnLimiterConfig.defaults().networkPrefixLimitsV6(), config.networkPrefixLimitsV6());
        assertEquals(ConnLimiterConfig.defaults().subnetLimitsV4(), config.subnetLimitsV4());
        assertEquals(List.of(new ConnLimitPerSubnet(64, LimitValue.of(2))), config.subnetLimitsV6());
        config = config.withSubnetLimitsV4(List.of()).withNetworkPrefixLimitsV6(List.of());
        assertEquals(List.of(), config.subnetLimitsV4());
        assertEquals(List.of(), config.networkPrefixLimitsV6());
    }

    @Test
    void refusesWrongFamiliesAndLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnLimiterConfig.defaults()
                .withNetworkPrefixLimitsV4(List.of(NetworkPrefixLimit.of("::/0", LimitValue.of(1)))));
        assertTrue(e.getMessage().contains("networkPrefixLimitsV4 may only hold IPv4 networks, got ::/0"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConnLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(48, LimitValue.of(1)))));
        assertTrue(e.getMessage().contains("up to 32, got 48"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConnLimitPerSubnet(129, LimitValue.of(1)));
        assertThrows(NullPointerException.class, () -> new ConnLimitPerSubnet(1, null));
        assertThrows(NullPointerException.class, () -> ConnLimiterConfig.defaults().withSubnetLimitsV4(null));
    }

    @Test
    void rateLimitDefaultsAreGos() {
        ConnRateLimiterConfig defaults = ConnRateLimiterConfig.defaults();
        assertEquals(List.of(PrefixRateLimit.of("127.0.0.0/8", RateLimit.unlimited()),
                PrefixRateLimit.of("::1/128", RateLimit.unlimited())), defaults.networkPrefixLimits());
        assertEquals(RateLimit.unlimited(), defaults.globalLimit());
        assertEquals(List.of(new SubnetRateLimit(32, RateLimit.of(0.2, 16))), defaults.subnetLimitsV4());
        assertEquals(List.of(new SubnetRateLimit(56, RateLimit.of(0.2, 16)), new SubnetRateLimit(48, RateLimit.of(0.5, 80))),
                defaults.subnetLimitsV6());
        assertEquals(Duration.ofMinutes(1), defaults.gracePeriod());
    }

    @Test
    void rateLimitsAreTyped() {
        assertTrue(RateLimit.unlimited().isUnlimited());
        assertEquals(new RateLimit.Bucket(0.5, 0), RateLimit.of(0.5, 0));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> RateLimit.of(0, 1));
        assertTrue(zero.getMessage().contains("RateLimit.unlimited()"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateLimit.of(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> RateLimit.of(Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> RateLimit.of(1, -1));
        assertThrows(IllegalArgumentException.class,
                () -> ConnRateLimiterConfig.defaults().withGracePeriod(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ConnRateLimiterConfig.defaults()
                .withSubnetLimitsV4(List.of(new SubnetRateLimit(33, RateLimit.of(1, 1)))));
        ConnRateLimiterConfig config = ConnRateLimiterConfig.unlimited().withGlobalLimit(RateLimit.of(1, 2));
        assertEquals(RateLimit.of(1, 2), config.globalLimit());
    }
}
