package org.jrcmgr.impl.net.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jrcmgr.impl.net.RateLimit;
import org.jrcmgr.impl.net.SubnetRateLimit;

/**
 * Per-subnet token buckets (go's {@code rate.SubnetLimiter}): for an address, the bucket of its
 * subnet under each limit of its family, longest prefix first, must yield a token; tokens taken
 * before a refusal are not given back. Buckets are created full on first use.
 *
 * <p>Eviction: a bucket is dropped once it has been full again for the grace period. go keeps a
 * heap ordered by expiry and pops it under a global lock on every call; here buckets live in
 * concurrent maps and a sweep runs at most every {@code max(grace / 4, 1 s)}, by whichever caller
 * finds it due. Keeping an expired bucket a little longer changes no decision, since it is full
 * and a fresh bucket would be full too; so eviction only bounds memory.
 */
final class SubnetRateLimiter {

    private static final long MIN_SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Limit[] v4;
    private final Limit[] v6;
    private final long graceNanos;
    private final long sweepIntervalNanos;
    private volatile long nextSweep;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    SubnetRateLimiter(List<SubnetRateLimit> v4, List<SubnetRateLimit> v6, Duration grace, long now) {
        this.v4 = limits(v4, now);
        this.v6 = limits(v6, now);
        this.graceNanos = saturatedNanos(grace);
        this.sweepIntervalNanos = Math.max(graceNanos / 4, MIN_SWEEP_INTERVAL_NANOS);
        this.nextSweep = now + sweepIntervalNanos;
    }

    /**
     * Takes a token from each of the address's subnet buckets.
     *
     * @param ip the address
     * @param now the current time in nanoseconds
     * @return false at the first bucket without a token
     */
    boolean allow(IpAddress ip, long now) {
        maybeSweep(now);
        for (Limit limit : ip.ipv6() ? v6 : v4) {
            IpAddress key = ip.mask(limit.prefixLength);
            while (true) {
                TokenBucket bucket = limit.buckets.get(key);
                if (bucket == null) {
                    bucket = limit.buckets.computeIfAbsent(key, k -> new TokenBucket(limit.rate, now));
                }
                TokenBucket.Take take = bucket.take(now);
                if (take == TokenBucket.Take.TAKEN) {
                    break;
                }
                if (take == TokenBucket.Take.EMPTY) {
                    return false;
                }
                // Evicted between lookup and take: make sure it is gone and start a fresh one.
                limit.buckets.remove(key, bucket);
            }
        }
        return true;
    }

    /**
     * Takes a token from the bucket shared by all addressless events under each IPv6 limit (in go
     * the invalid address is not IPv4 and its prefix is the zero prefix, one key for all).
     *
     * @param now the current time in nanoseconds
     * @return false at the first bucket without a token
     */
    boolean allowWithoutAddress(long now) {
        for (Limit limit : v6) {
            if (!limit.addressless.tryTake(now)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Evicts every bucket that has been full for the grace period by {@code now}.
     *
     * @param now the current time in nanoseconds
     */
    void cleanUp(long now) {
        for (Limit[] family : List.of(v4, v6)) {
            for (Limit limit : family) {
                for (Map.Entry<IpAddress, TokenBucket> e : limit.buckets.entrySet()) {
                    if (e.getValue().retireIfExpired(now, graceNanos)) {
                        limit.buckets.remove(e.getKey(), e.getValue());
                    }
                }
            }
        }
    }

    /** The number of subnet buckets held. For tests. */
    int bucketCount() {
        int n = 0;
        for (Limit[] family : List.of(v4, v6)) {
            for (Limit limit : family) {
                n += limit.buckets.size();
            }
        }
        return n;
    }

    private void maybeSweep(long now) {
        if (now - nextSweep >= 0 && sweeping.compareAndSet(false, true)) {
            try {
                cleanUp(now);
                nextSweep = now + sweepIntervalNanos;
            } finally {
                sweeping.set(false);
            }
        }
    }

    private static Limit[] limits(List<SubnetRateLimit> config, long now) {
        // Longest prefix first, as go sorts them: a refusal by a narrow subnet then costs the wider
        // subnets no token. An unlimited limit keeps no buckets at all.
        return config.stream()
                .filter(l -> !l.limit().isUnlimited())
                .sorted(Comparator.comparingInt(SubnetRateLimit::prefixLength).reversed())
                .map(l -> new Limit(l.prefixLength(), (RateLimit.Bucket) l.limit(), now))
                .toArray(Limit[]::new);
    }

    /** Caps the duration (at about 146 years) so that adding it to a time never overflows. */
    private static long saturatedNanos(Duration d) {
        long forever = 1L << 62;
        return d.compareTo(Duration.ofNanos(forever)) >= 0 ? forever : d.toNanos();
    }

    /** One subnet limit and its buckets. */
    private static final class Limit {
        final int prefixLength;
        final RateLimit.Bucket rate;
        final ConcurrentHashMap<IpAddress, TokenBucket> buckets = new ConcurrentHashMap<>();
        final TokenBucket addressless;

        Limit(int prefixLength, RateLimit.Bucket rate, long now) {
            this.prefixLength = prefixLength;
            this.rate = rate;
            this.addressless = new TokenBucket(rate, now);
        }
    }
}
