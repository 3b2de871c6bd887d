package org.jrcmgr.impl.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The token-bucket rate limits on new connections (go's {@code rate.Limiter} as configured by
 * {@code WithConnRateLimiters}): per network, per subnet and global.
 *
 * <p>An event from address {@code a} is admitted when: every listed network containing {@code a}
 * yields a token, most specific first, and if there is at least one such network nothing else is
 * asked; otherwise every subnet limit of {@code a}'s family yields a token from {@code a}'s
 * subnet's bucket (longest prefix first), and then the global bucket yields one. Tokens taken
 * before a refusal are not given back. Events without an IP address share one bucket per IPv6
 * subnet limit, as in go, and the global bucket.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code /ip6/::ffff:1.2.3.4}) fall under the IPv6 subnet limits,
 * as in go.
 *
 * @param networkPrefixLimits network limits of both families, any order
 * @param globalLimit the limit shared by every address in no listed network
 * @param subnetLimitsV4 IPv4 per-subnet limits (prefix lengths up to 32)
 * @param subnetLimitsV6 IPv6 per-subnet limits
 * @param gracePeriod how long a subnet's bucket is kept after it is full again
 */
public record ConnRateLimiterConfig(List<PrefixRateLimit> networkPrefixLimits, RateLimit globalLimit,
                                    List<SubnetRateLimit> subnetLimitsV4, List<SubnetRateLimit> subnetLimitsV6,
                                    Duration gracePeriod) {

    private static final ConnRateLimiterConfig DEFAULTS = new ConnRateLimiterConfig(
            List.of(PrefixRateLimit.of("127.0.0.0/8", RateLimit.unlimited()),
                    PrefixRateLimit.of("::1/128", RateLimit.unlimited())),
            RateLimit.unlimited(),
            List.of(new SubnetRateLimit(32, RateLimit.of(0.2, 16))),
            List.of(new SubnetRateLimit(56, RateLimit.of(0.2, 16)),
                    new SubnetRateLimit(48, RateLimit.of(0.5, 80))),
            Duration.ofMinutes(1));

    private static final ConnRateLimiterConfig UNLIMITED = new ConnRateLimiterConfig(
            List.of(), RateLimit.unlimited(), List.of(), List.of(), Duration.ofMinutes(1));

    /**
     * Copies the lists and checks them.
     *
     * @param networkPrefixLimits network limits of both families
     * @param globalLimit the global limit
     * @param subnetLimitsV4 IPv4 per-subnet limits
     * @param subnetLimitsV6 IPv6 per-subnet limits
     * @param gracePeriod how long a full subnet bucket is kept
     * @throws NullPointerException if an argument or element is null
     * @throws IllegalArgumentException if an IPv4 subnet limit is longer than 32 bits or the grace
     *     period is negative
     */
    public ConnRateLimiterConfig {
        networkPrefixLimits = List.copyOf(Objects.requireNonNull(networkPrefixLimits,
                "networkPrefixLimits must not be null"));
        Objects.requireNonNull(globalLimit, "globalLimit must not be null");
        subnetLimitsV4 = checkedSubnets(subnetLimitsV4, 32, "subnetLimitsV4");
        subnetLimitsV6 = checkedSubnets(subnetLimitsV6, 128, "subnetLimitsV6");
        Objects.requireNonNull(gracePeriod, "gracePeriod must not be null");
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative, got " + gracePeriod);
        }
    }

    /**
     * go-libp2p's connection rate limits: loopback ({@code 127.0.0.0/8}, {@code ::1/128})
     * unlimited; no global limit; each IPv4 address 16 connections at once, then one every 5 s
     * (0.2/s); each IPv6 {@code /56} the same; each IPv6 {@code /48} 80, then 0.5/s; buckets kept
     * one minute after they are full again.
     *
     * @return the default configuration
     */
    public static ConnRateLimiterConfig defaults() {
        return DEFAULTS;
    }

    /**
     * No limit at all (go's zero {@code rate.Limiter}).
     *
     * @return a configuration that admits everything
     */
    public static ConnRateLimiterConfig unlimited() {
        return UNLIMITED;
    }

    /**
     * Replaces the network limits.
     *
     * @param limits the new list; an empty list removes the loopback exemption
     * @return the changed configuration
     */
    public ConnRateLimiterConfig withNetworkPrefixLimits(List<PrefixRateLimit> limits) {
        return new ConnRateLimiterConfig(limits, globalLimit, subnetLimitsV4, subnetLimitsV6, gracePeriod);
    }

    /**
     * Replaces the global limit.
     *
     * @param limit the new limit
     * @return the changed configuration
     */
    public ConnRateLimiterConfig withGlobalLimit(RateLimit limit) {
        return new ConnRateLimiterConfig(networkPrefixLimits, limit, subnetLimitsV4, subnetLimitsV6, gracePeriod);
    }

    /**
     * Replaces the IPv4 per-subnet limits.
     *
     * @param limits the new list
     * @return the changed configuration
     */
    public ConnRateLimiterConfig withSubnetLimitsV4(List<SubnetRateLimit> limits) {
        return new ConnRateLimiterConfig(networkPrefixLimits, globalLimit, limits, subnetLimitsV6, gracePeriod);
    }

    /**
     * Replaces the IPv6 per-subnet limits.
     *
     * @param limits the new list
     * @return the changed configuration
     */
    public ConnRateLimiterConfig withSubnetLimitsV6(List<SubnetRateLimit> limits) {
        return new ConnRateLimiterConfig(networkPrefixLimits, globalLimit, subnetLimitsV4, limits, gracePeriod);
    }

    /**
     * Replaces the grace period.
     *
     * @param period how long a full subnet bucket is kept
     * @return the changed configuration
     */
    public ConnRateLimiterConfig withGracePeriod(Duration period) {
        return new ConnRateLimiterConfig(networkPrefixLimits, globalLimit, subnetLimitsV4, subnetLimitsV6, period);
    }

    private static List<SubnetRateLimit> checkedSubnets(List<SubnetRateLimit> limits, int bits, String name) {
        Objects.requireNonNull(limits, name + " must not be null");
        for (SubnetRateLimit limit : limits) {
            Objects.requireNonNull(limit, name + " must not contain null");
            if (limit.prefixLength() > bits) {
                throw new IllegalArgumentException(name + " may only hold prefix lengths up to " + bits
                        + ", got " + limit.prefixLength());
            }
        }
        return List.copyOf(limits);
    }
}
