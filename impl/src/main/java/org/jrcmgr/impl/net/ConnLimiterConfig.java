package org.jrcmgr.impl.net;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.jrcmgr.LimitValue;

/**
 * The limits on concurrent connections per IP range (go's {@code connLimiter} configuration):
 * network-prefix limits and per-subnet limits, for each address family.
 *
 * <p>How a connection from address {@code a} is admitted: if {@code a} lies in a listed network,
 * the most specific such network alone decides; otherwise every per-subnet limit of the family
 * must admit it. See {@link NetworkPrefixLimit} and {@link ConnLimitPerSubnet}.
 *
 * <p>The network-prefix lists are kept sorted most specific first (a stable sort by descending
 * prefix length), the order in which they are matched; for two entries with the same network,
 * the first one wins and the other is never used.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code /ip6/::ffff:1.2.3.4}) are IPv6 addresses here, as in go:
 * they fall under the IPv6 limits.
 *
 * @param networkPrefixLimitsV4 IPv4 network limits, most specific first
 * @param networkPrefixLimitsV6 IPv6 network limits, most specific first
 * @param subnetLimitsV4 IPv4 per-subnet limits (prefix lengths up to 32)
 * @param subnetLimitsV6 IPv6 per-subnet limits
 */
public record ConnLimiterConfig(List<NetworkPrefixLimit> networkPrefixLimitsV4,
                                List<NetworkPrefixLimit> networkPrefixLimitsV6,
                                List<ConnLimitPerSubnet> subnetLimitsV4,
                                List<ConnLimitPerSubnet> subnetLimitsV6) {

    /** go's {@code defaultMaxConcurrentConns}: matches the number of concurrent dials of go's swarm. */
    private static final int DEFAULT_MAX_CONCURRENT_CONNS = 8;

    private static final ConnLimiterConfig DEFAULTS = new ConnLimiterConfig(
            List.of(NetworkPrefixLimit.of("127.0.0.0/8", LimitValue.unlimited())),
            List.of(NetworkPrefixLimit.of("::1/128", LimitValue.unlimited())),
            List.of(new ConnLimitPerSubnet(32, LimitValue.of(DEFAULT_MAX_CONCURRENT_CONNS))),
            List.of(new ConnLimitPerSubnet(56, LimitValue.of(DEFAULT_MAX_CONCURRENT_CONNS)),
                    new ConnLimitPerSubnet(48, LimitValue.of(8L * DEFAULT_MAX_CONCURRENT_CONNS))));

    /**
     * Copies the lists, checks the families and sorts the network lists most specific first.
     *
     * @param networkPrefixLimitsV4 IPv4 network limits, any order
     * @param networkPrefixLimitsV6 IPv6 network limits, any order
     * @param subnetLimitsV4 IPv4 per-subnet limits
     * @param subnetLimitsV6 IPv6 per-subnet limits
     * @throws NullPointerException if a list or an element is null
     * @throws IllegalArgumentException if a network is of the wrong family for its list, or an
     *     IPv4 subnet limit is longer than 32 bits
     */
    public ConnLimiterConfig {
        networkPrefixLimitsV4 = sortedNetworks(networkPrefixLimitsV4, false, "networkPrefixLimitsV4");
        networkPrefixLimitsV6 = sortedNetworks(networkPrefixLimitsV6, true, "networkPrefixLimitsV6");
        subnetLimitsV4 = checkedSubnets(subnetLimitsV4, 32, "subnetLimitsV4");
        subnetLimitsV6 = checkedSubnets(subnetLimitsV6, 128, "subnetLimitsV6");
    }

    /**
     * go-libp2p's defaults: loopback ({@code 127.0.0.0/8}, {@code ::1/128}) unlimited; 8
     * connections per IPv4 address; 8 per IPv6 {@code /56} and 64 per IPv6 {@code /48}, both
     * applying. There is no IPv4 {@code /24} limit.
     *
     * @return the default configuration
     */
    public static ConnLimiterConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Replaces the IPv4 network limits, like go's {@code WithNetworkPrefixLimit(ipv4, nil)}. An
     * empty list removes the loopback exemption.
     *
     * @param limits the new list, any order
     * @return the changed configuration
     */
    public ConnLimiterConfig withNetworkPrefixLimitsV4(List<NetworkPrefixLimit> limits) {
        return new ConnLimiterConfig(limits, networkPrefixLimitsV6, subnetLimitsV4, subnetLimitsV6);
    }

    /**
     * Replaces the IPv6 network limits, like go's {@code WithNetworkPrefixLimit(nil, ipv6)}. An
     * empty list removes the loopback exemption.
     *
     * @param limits the new list, any order
     * @return the changed configuration
     */
    public ConnLimiterConfig withNetworkPrefixLimitsV6(List<NetworkPrefixLimit> limits) {
        return new ConnLimiterConfig(networkPrefixLimitsV4, limits, subnetLimitsV4, subnetLimitsV6);
    }

    /**
     * Replaces the IPv4 per-subnet limits, like go's {@code WithLimitPerSubnet(ipv4, nil)}. An
     * empty list leaves IPv4 addresses outside every listed network unlimited.
     *
     * @param limits the new list
     * @return the changed configuration
     */
    public ConnLimiterConfig withSubnetLimitsV4(List<ConnLimitPerSubnet> limits) {
        return new ConnLimiterConfig(networkPrefixLimitsV4, networkPrefixLimitsV6, limits, subnetLimitsV6);
    }

    /**
     * Replaces the IPv6 per-subnet limits, like go's {@code WithLimitPerSubnet(nil, ipv6)}. An
     * empty list leaves IPv6 addresses outside every listed network unlimited.
     *
     * @param limits the new list
     * @return the changed configuration
     */
    public ConnLimiterConfig withSubnetLimitsV6(List<ConnLimitPerSubnet> limits) {
        return new ConnLimiterConfig(networkPrefixLimitsV4, networkPrefixLimitsV6, subnetLimitsV4, limits);
    }

    private static List<NetworkPrefixLimit> sortedNetworks(List<NetworkPrefixLimit> limits, boolean ipv6,
                                                           String name) {
        Objects.requireNonNull(limits, name + " must not be null");
        List<NetworkPrefixLimit> sorted = new ArrayList<>(limits.size());
        for (NetworkPrefixLimit limit : limits) {
            Objects.requireNonNull(limit, name + " must not contain null");
            if (limit.network().isIpv6() != ipv6) {
                throw new IllegalArgumentException(name + " may only hold " + (ipv6 ? "IPv6" : "IPv4")
                        + " networks, got " + limit.network());
            }
            sorted.add(limit);
        }
        // List.sort is stable: among equal lengths the configured order is kept, as in go.
        sorted.sort(Comparator.comparingInt((NetworkPrefixLimit l) -> l.network().prefixLength()).reversed());
        return List.copyOf(sorted);
    }

    private static List<ConnLimitPerSubnet> checkedSubnets(List<ConnLimitPerSubnet> limits, int bits, String name) {
        Objects.requireNonNull(limits, name + " must not be null");
        for (ConnLimitPerSubnet limit : limits) {
            Objects.requireNonNull(limit, name + " must not contain null");
            if (limit.prefixLength() > bits) {
                throw new IllegalArgumentException(name + " may only hold prefix lengths up to " + bits
                        + ", got " + limit.prefixLength());
            }
        }
        return List.copyOf(limits);
    }
}
