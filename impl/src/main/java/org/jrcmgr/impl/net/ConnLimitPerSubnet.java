package org.jrcmgr.impl.net;

import java.util.Objects;

import org.jrcmgr.LimitValue;

/**
 * A limit on the concurrent connections from every subnet of one size: go's
 * {@code ConnLimitPerSubnet}. With a prefix length of 32 for IPv4 each address gets its own
 * count; with 56 for IPv6 each {@code /56} does.
 *
 * <p>All per-subnet limits of the address's family must admit a connection for it to be
 * admitted (none is then counted if one refuses), unless the address lies in a network with a
 * {@link NetworkPrefixLimit}, which decides alone.
 *
 * @param prefixLength the subnet size: 0 to 32 in an IPv4 list, 0 to 128 in an IPv6 list
 * @param connCount how many connections each such subnet may have open at once
 */
public record ConnLimitPerSubnet(int prefixLength, LimitValue connCount) {

    /**
     * @param prefixLength the prefix length
     * @param connCount the connection count
     * @throws NullPointerException if {@code connCount} is null
     * @throws IllegalArgumentException if {@code prefixLength} is not within 0..128 (the family
     *     bound is checked by {@link ConnLimiterConfig})
     */
    public ConnLimitPerSubnet {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("subnet prefix length must be within 0..128, got " + prefixLength);
        }
        Objects.requireNonNull(connCount, "connCount must not be null");
    }
}
