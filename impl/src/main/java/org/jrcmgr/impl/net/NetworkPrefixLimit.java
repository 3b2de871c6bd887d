package org.jrcmgr.impl.net;

import java.util.Objects;

import org.jrcmgr.LimitValue;

/**
 * A limit on the concurrent connections from one network, counted together: go's
 * {@code NetworkPrefixLimit}.
 *
 * <p>A connection whose address lies in a listed network is counted against the most specific
 * such network only, and the per-subnet limits ({@link ConnLimitPerSubnet}) are then not
 * consulted. That is how loopback is exempted by default, and how a trusted network gets a higher
 * limit than the per-subnet default.
 *
 * @param network the network
 * @param connCount how many connections from the whole network may be open at once:
 *     {@link LimitValue#unlimited()} exempts it, {@link LimitValue#blockAll()} refuses it
 */
public record NetworkPrefixLimit(IpNetwork network, LimitValue connCount) {

    /**
     * @param network the network
     * @param connCount the connection count
     * @throws NullPointerException if an argument is null
     */
    public NetworkPrefixLimit {
        Objects.requireNonNull(network, "network must not be null");
        Objects.requireNonNull(connCount, "connCount must not be null");
    }

    /**
     * A limit for a network given in CIDR form.
     *
     * @param cidr the network, for example {@code 10.0.0.0/8}; see {@link IpNetwork#parse(String)}
     * @param connCount how many connections from the whole network may be open at once
     * @return the limit
     * @throws IllegalArgumentException if {@code cidr} is malformed
     */
    public static NetworkPrefixLimit of(String cidr, LimitValue connCount) {
        return new NetworkPrefixLimit(IpNetwork.parse(cidr), connCount);
    }
}
