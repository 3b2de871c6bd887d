package org.jrcmgr.impl.net.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.jrcmgr.Multiaddr;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.net.PrefixRateLimit;

/**
 * Token-bucket rate limiting per network, per subnet and globally: go's {@code x/rate.Limiter},
 * configured by a {@link ConnRateLimiterConfig}. The manager uses one built from
 * {@link ConnRateLimiterConfig#defaults()} for every {@code openConnection}, inbound and outbound,
 * and {@link SourceAddressVerifier} uses another.
 *
 * <p>{@link #allow(IpAddress)}: every configured network containing the address yields a token,
 * most specific first, and if there is one such network the event is admitted with nothing else
 * asked; otherwise the address's subnet buckets (longest prefix first) and then the global bucket
 * must each yield one. Tokens taken before a refusal are not returned, which is why the most
 * specific buckets are asked first: a refusal there costs the wider ones nothing.
 *
 * <p>Thread-safe: network matching reads an immutable {@link PrefixTrie}, each bucket has its own
 * small lock, and unlimited buckets have none.
 */
public final class RateLimiter {

    private final ConnRateLimiterConfig config;
    private final LongSupplier nanoClock;
    private final PrefixTrie<TokenBucket[]> networksV4;
    private final PrefixTrie<TokenBucket[]> networksV6;
    private final SubnetRateLimiter subnets;
    private final TokenBucket global;

    /**
     * A limiter on the system's monotonic clock, all buckets full.
     *
     * @param config the limits
     */
    public RateLimiter(ConnRateLimiterConfig config) {
        this(config, System::nanoTime);
    }

    /**
     * A limiter on a given clock, all buckets full.
     *
     * @param config the limits
     * @param nanoClock monotonic time in nanoseconds, as {@link System#nanoTime()}; tests pass a
     *     fake one
     */
    public RateLimiter(ConnRateLimiterConfig config, LongSupplier nanoClock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock must not be null");
        long now = nanoClock.getAsLong();
        this.networksV4 = networks(config.networkPrefixLimits(), false, now);
        this.networksV6 = networks(config.networkPrefixLimits(), true, now);
        this.subnets = new SubnetRateLimiter(config.subnetLimitsV4(), config.subnetLimitsV6(),
                config.gracePeriod(), now);
        this.global = TokenBucket.of(config.globalLimit(), now);
    }

    /**
     * The limits.
     *
     * @return the configuration this limiter was built from
     */
    public ConnRateLimiterConfig config() {
        return config;
    }

    /**
     * Admits an event from an address if every applicable bucket yields a token.
     *
     * @param ip the address
     * @return whether the event is within the limits
     */
    public boolean allow(IpAddress ip) {
        Objects.requireNonNull(ip, "ip must not be null");
        long now = nanoClock.getAsLong();
        List<TokenBucket[]> networks = (ip.ipv6() ? networksV6 : networksV4).matchesMostSpecificFirst(ip);
        if (!networks.isEmpty()) {
            for (TokenBucket[] buckets : networks) {
                for (TokenBucket bucket : buckets) {
                    if (!bucket.tryTake(now)) {
                        return false;
                    }
                }
            }
            return true;
        }
        return subnets.allow(ip, now) && global.tryTake(now);
    }

    /**
     * Admits an event without an IP address (a relayed or otherwise IP-less connection): as in go
     * these all share one bucket per IPv6 subnet limit, then the global bucket.
     *
     * @return whether the event is within the limits
     */
    public boolean allowWithoutAddress() {
        long now = nanoClock.getAsLong();
        return subnets.allowWithoutAddress(now) && global.tryTake(now);
    }

    /**
     * Admits a connection to or from an endpoint: {@link #allow(IpAddress)} with the endpoint's
     * first IP address, {@link #allowWithoutAddress()} if it has none. An {@code /ip6/::ffff:…}
     * endpoint is IPv6 here, as in go.
     *
     * @param endpoint the remote multiaddr
     * @return whether the connection is within the limits
     */
    public boolean allow(Multiaddr endpoint) {
        Optional<IpAddress> ip = IpAddress.fromMultiaddr(endpoint);
        return ip.isPresent() ? allow(ip.get()) : allowWithoutAddress();
    }

    /** Evicts expired subnet buckets now. For tests. */
    void cleanUp() {
        subnets.cleanUp(nanoClock.getAsLong());
    }

    /** The number of subnet buckets held. For tests. */
    int subnetBucketCount() {
        return subnets.bucketCount();
    }

    private static PrefixTrie<TokenBucket[]> networks(List<PrefixRateLimit> limits, boolean ipv6, long now) {
        List<PrefixRateLimit> family = new ArrayList<>();
        for (PrefixRateLimit limit : limits) {
            if (limit.network().isIpv6() == ipv6) {
                family.add(limit);
            }
        }
        // Stable, so that two limits of one network are asked in the configured order, as in go.
        family.sort(Comparator.comparingInt((PrefixRateLimit l) -> l.network().prefixLength()).reversed());
        PrefixTrie<TokenBucket[]> trie = PrefixTrie.empty(ipv6);
        for (PrefixRateLimit limit : family) {
            TokenBucket bucket = TokenBucket.of(limit.limit(), now);
            trie = trie.compute(IpAddress.of(limit.network()), limit.network().prefixLength(),
                    existing -> append(existing, bucket));
        }
        return trie;
    }

    private static TokenBucket[] append(TokenBucket[] existing, TokenBucket bucket) {
        if (existing == null) {
            return new TokenBucket[] {bucket};
        }
        TokenBucket[] longer = Arrays.copyOf(existing, existing.length + 1);
        longer[existing.length] = bucket;
        return longer;
    }
}
