package org.jrcmgr.impl.net;

import java.util.Objects;

/**
 * A rate limit shared by all addresses of one network: go's {@code rate.PrefixLimit}.
 *
 * <p>Every listed network containing an address must admit an event from it, most specific
 * first; an address in at least one listed network then skips the per-subnet and global limits.
 * An {@linkplain RateLimit#unlimited() unlimited} entry therefore exempts a network.
 *
 * @param network the network
 * @param limit the limit of the network's one bucket
 */
public record PrefixRateLimit(IpNetwork network, RateLimit limit) {

    /**
     * @param network the network
     * @param limit the rate limit
     * @throws NullPointerException if an argument is null
     */
    public PrefixRateLimit {
        Objects.requireNonNull(network, "network must not be null");
        Objects.requireNonNull(limit, "limit must not be null");
    }

    /**
     * A limit for a network given in CIDR form.
     *
     * @param cidr the network, for example {@code 127.0.0.0/8}; see {@link IpNetwork#parse(String)}
     * @param limit the limit
     * @return the prefix limit
     * @throws IllegalArgumentException if {@code cidr} is malformed
     */
    public static PrefixRateLimit of(String cidr, RateLimit limit) {
        return new PrefixRateLimit(IpNetwork.parse(cidr), limit);
    }
}
