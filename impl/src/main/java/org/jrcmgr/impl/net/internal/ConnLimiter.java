package org.jrcmgr.impl.net.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jrcmgr.LimitValue;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.IpNetwork;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the open connections per IP range and refuses those beyond the limits of a
 * {@link ConnLimiterConfig}: go's {@code connLimiter}.
 *
 * <p>{@link #addConn(IpAddress)}: if the address lies in a configured network, the most specific
 * such network alone decides and is counted; otherwise every per-subnet limit of the family must
 * admit the connection, and then each of its subnets is counted, or none is. {@link
 * #removeConn(IpAddress)} undoes exactly that. IPv4-mapped IPv6 addresses are IPv6, as in go (see
 * {@link IpAddress}).
 *
 * <p>Thread-safe without a global lock. Network matching reads an immutable {@link PrefixTrie}
 * (one step per prefix bit, however many networks are configured) and counts with a
 * compare-and-set. Per-subnet counting must check several counters and change all or none, so it
 * locks one of a fixed set of stripes chosen by the address's widest configured subnet: two
 * addresses sharing any subnet counter share that widest subnet, hence the stripe, while
 * unrelated addresses rarely meet.
 */
public final class ConnLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnLimiter.class);

    private static final int STRIPES = 64;

    private final Object configLock = new Object();
    private volatile Networks networks;
    private final Subnets subnetsV4;
    private final Subnets subnetsV6;
    private final Object[] stripes = new Object[STRIPES];

    /**
     * A limiter with no connection counted.
     *
     * @param config the limits
     */
    public ConnLimiter(ConnLimiterConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        this.networks = Networks.build(config, null);
        this.subnetsV4 = new Subnets(config.subnetLimitsV4());
        this.subnetsV6 = new Subnets(config.subnetLimitsV6());
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * The limits in force, including networks added by
     * {@link #registerAllowlisted(Collection, LimitValue)}: the input of
     * {@link SourceAddressVerifier#configFor(ConnLimiterConfig)}.
     *
     * @return the configuration
     */
    public ConnLimiterConfig config() {
        return networks.config;
    }

    /**
     * Counts a connection from {@code ip} if the limits admit it.
     *
     * @param ip the remote address
     * @return true if the connection was counted and must later be removed with
     *     {@link #removeConn(IpAddress)}; false if it was refused and nothing was counted
     */
    public boolean addConn(IpAddress ip) {
        Objects.requireNonNull(ip, "ip must not be null");
        PrefixCounter network = networks.trie(ip.ipv6()).longestMatch(ip);
        if (network != null) {
            return network.tryIncrement();
        }
        Subnets subnets = ip.ipv6() ? subnetsV6 : subnetsV4;
        if (subnets.limits.length == 0) {
            return true;
        }
        IpAddress[] keys = subnets.keys(ip);
        synchronized (stripe(keys[subnets.widest])) {
            for (int i = 0; i < keys.length; i++) {
                Count count = subnets.limits[i].counts.get(keys[i]);
                long current = count == null ? 0 : count.value;
                if (current + 1 > subnets.limits[i].cap) {
                    return false;
                }
            }
            for (int i = 0; i < keys.length; i++) {
                subnets.limits[i].counts.computeIfAbsent(keys[i], k -> new Count()).value++;
            }
        }
        return true;
    }

    /**
     * Removes a connection counted by {@link #addConn(IpAddress)}; call it exactly once per
     * successful {@code addConn}. A counter that is already zero means the caller broke that rule:
     * it is logged at error level and left alone, never made negative.
     *
     * @param ip the remote address given to {@code addConn}
     */
    public void removeConn(IpAddress ip) {
        Objects.requireNonNull(ip, "ip must not be null");
        PrefixCounter network = networks.trie(ip.ipv6()).longestMatch(ip);
        if (network != null) {
            if (!network.tryDecrement()) {
                LOG.error("unexpected conn count for ip {} in network {}: was it not added with addConn first?",
                        ip, network.network);
            }
            return;
        }
        Subnets subnets = ip.ipv6() ? subnetsV6 : subnetsV4;
        if (subnets.limits.length == 0) {
            return;
        }
        IpAddress[] keys = subnets.keys(ip);
        synchronized (stripe(keys[subnets.widest])) {
            for (int i = 0; i < keys.length; i++) {
                SubnetCounter limit = subnets.limits[i];
                Count count = limit.counts.get(keys[i]);
                if (count == null || count.value <= 0) {
                    LOG.error("unexpected conn count for ip {} in subnet {}/{}: was it not added with addConn first?",
                            ip, keys[i], limit.length);
                    continue;
                }
                if (--count.value == 0) {
                    limit.counts.remove(keys[i]);
                }
            }
        }
    }

    /**
     * Gives every network not yet configured a network limit of {@code connCount}, which is how go
     * keeps allowlisted networks reachable: at construction the manager registers the allowlist's
     * {@linkplain org.jrcmgr.impl.net.Allowlist#unconstrainedNetworks() unconstrained networks}
     * with the allowlisted system scope's connection limit. Networks already configured keep their
     * limit (explicit configuration wins).
     *
     * <p>Meant to be called before connections are counted: a connection counted in its subnets
     * before its address became part of a registered network would be removed from that network's
     * count instead (an error is logged and the subnet counts stay).
     *
     * @param allowlisted the networks
     * @param connCount the limit of each new network entry
     * @return how many networks were added
     */
    public int registerAllowlisted(Collection<IpNetwork> allowlisted, LimitValue connCount) {
        Objects.requireNonNull(allowlisted, "networks must not be null");
        Objects.requireNonNull(connCount, "connCount must not be null");
        synchronized (configLock) {
            Networks current = networks;
            List<NetworkPrefixLimit> v4 = new ArrayList<>(current.config.networkPrefixLimitsV4());
            List<NetworkPrefixLimit> v6 = new ArrayList<>(current.config.networkPrefixLimitsV6());
            Set<IpNetwork> present = new HashSet<>();
            v4.forEach(l -> present.add(l.network()));
            v6.forEach(l -> present.add(l.network()));
            int added = 0;
            for (IpNetwork network : allowlisted) {
                if (present.add(network)) {
                    (network.isIpv6() ? v6 : v4).add(new NetworkPrefixLimit(network, connCount));
                    added++;
                }
            }
            if (added > 0) {
                ConnLimiterConfig config = current.config.withNetworkPrefixLimitsV4(v4).withNetworkPrefixLimitsV6(v6);
                networks = Networks.build(config, current);
            }
            return added;
        }
    }

    /** The sum of all counters: zero exactly when nothing is counted. For tests, once writers are done. */
    long countedTotal() {
        long[] total = {0};
        Networks current = networks;
        PrefixTrie.Visitor<PrefixCounter> sum = (network, length, counter) -> total[0] += counter.count.get();
        current.v4.forEach(sum);
        current.v6.forEach(sum);
        for (Subnets subnets : new Subnets[] {subnetsV4, subnetsV6}) {
            for (SubnetCounter limit : subnets.limits) {
                for (Count c : limit.counts.values()) {
                    total[0] += c.value;
                }
            }
        }
        return total[0];
    }

    /** The number of subnet counters held: zero once every connection is removed. For tests. */
    int subnetCounterCount() {
        int n = 0;
        for (Subnets subnets : new Subnets[] {subnetsV4, subnetsV6}) {
            for (SubnetCounter limit : subnets.limits) {
                n += limit.counts.size();
            }
        }
        return n;
    }

    private Object stripe(IpAddress widestKey) {
        int h = widestKey.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    /** One network's shared counter. */
    private static final class PrefixCounter {
        final IpNetwork network;
        final long cap;
        final AtomicLong count;

        PrefixCounter(IpNetwork network, long cap, AtomicLong count) {
            this.network = network;
            this.cap = cap;
            this.count = count;
        }

        boolean tryIncrement() {
            while (true) {
                long c = count.get();
                if (c + 1 > cap) {
                    return false;
                }
                if (count.compareAndSet(c, c + 1)) {
                    return true;
                }
            }
        }

        boolean tryDecrement() {
            while (true) {
                long c = count.get();
                if (c <= 0) {
                    return false;
                }
                if (count.compareAndSet(c, c - 1)) {
                    return true;
                }
            }
        }
    }

    /** The network tables of one configuration; replaced as a whole, never changed. */
    private static final class Networks {
        final ConnLimiterConfig config;
        final PrefixTrie<PrefixCounter> v4;
        final PrefixTrie<PrefixCounter> v6;

        private Networks(ConnLimiterConfig config, PrefixTrie<PrefixCounter> v4, PrefixTrie<PrefixCounter> v6) {
            this.config = config;
            this.v4 = v4;
            this.v6 = v6;
        }

        /** Builds the tables, keeping the counts of networks {@code previous} already had. */
        static Networks build(ConnLimiterConfig config, Networks previous) {
            return new Networks(config,
                    trie(config.networkPrefixLimitsV4(), previous == null ? null : previous.v4, false),
                    trie(config.networkPrefixLimitsV6(), previous == null ? null : previous.v6, true));
        }

        private static PrefixTrie<PrefixCounter> trie(List<NetworkPrefixLimit> limits,
                                                      PrefixTrie<PrefixCounter> previous, boolean ipv6) {
            PrefixTrie<PrefixCounter> trie = PrefixTrie.empty(ipv6);
            for (NetworkPrefixLimit limit : limits) {
                IpAddress address = IpAddress.of(limit.network());
                int length = limit.network().prefixLength();
                PrefixCounter kept = previous == null ? null : previous.get(address, length);
                // The list is sorted most specific first and stable: the first entry of a network
                // is the one go would match, so later duplicates are dropped.
                trie = trie.compute(address, length, existing -> existing != null ? existing
                        : kept != null ? kept
                        : new PrefixCounter(limit.network(), limit.connCount().capacity(), new AtomicLong()));
            }
            return trie;
        }

        PrefixTrie<PrefixCounter> trie(boolean ipv6) {
            return ipv6 ? v6 : v4;
        }
    }

    /** The per-subnet limits of one family. */
    private static final class Subnets {
        final SubnetCounter[] limits;
        /** Index of the shortest prefix length: its subnet contains all the others of an address. */
        final int widest;

        Subnets(List<ConnLimitPerSubnet> config) {
            limits = new SubnetCounter[config.size()];
            int w = 0;
            for (int i = 0; i < limits.length; i++) {
                ConnLimitPerSubnet c = config.get(i);
                limits[i] = new SubnetCounter(c.prefixLength(), c.connCount().capacity());
                if (c.prefixLength() < limits[w].length) {
                    w = i;
                }
            }
            widest = w;
        }

        IpAddress[] keys(IpAddress ip) {
            IpAddress[] keys = new IpAddress[limits.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = ip.mask(limits[i].length);
            }
            return keys;
        }
    }

    /** The counters of one per-subnet limit; a counter is only touched under its stripe's lock. */
    private static final class SubnetCounter {
        final int length;
        final long cap;
        final ConcurrentHashMap<IpAddress, Count> counts = new ConcurrentHashMap<>();

        SubnetCounter(int length, long cap) {
            this.length = length;
            this.cap = cap;
        }
    }

    /** A mutable count, guarded by the stripe lock of its subnet. */
    private static final class Count {
        long value;
    }
}
