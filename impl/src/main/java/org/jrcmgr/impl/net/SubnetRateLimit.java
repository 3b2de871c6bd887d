package org.jrcmgr.impl.net;

import java.util.Objects;

/**
 * A rate limit for every subnet of one size, each subnet with its own bucket: go's
 * {@code rate.SubnetLimit}. Buckets are created full on first use and dropped once they are full
 * again and the grace period has passed, which changes no decision since a new bucket is full too.
 *
 * <p>An {@linkplain RateLimit#unlimited() unlimited} subnet limit limits nothing and keeps no
 * buckets. (go has no unlimited subnet limit: a zero rate there means a bucket that never refills.)
 *
 * @param prefixLength the subnet size: 0 to 32 in an IPv4 list, 0 to 128 in an IPv6 list
 * @param limit the limit of each subnet's bucket
 */
public record SubnetRateLimit(int prefixLength, RateLimit limit) {

    /**
     * @param prefixLength the prefix length
     * @param limit the rate limit
     * @throws NullPointerException if {@code limit} is null
     * @throws IllegalArgumentException if {@code prefixLength} is not within 0..128 (the family
     *     bound is checked by {@link ConnRateLimiterConfig})
     */
    public SubnetRateLimit {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("subnet prefix length must be within 0..128, got " + prefixLength);
        }
        Objects.requireNonNull(limit, "limit must not be null");
    }
}
