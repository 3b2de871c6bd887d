package org.jrcmgr.impl.net.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jrcmgr.LimitValue;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.jrcmgr.impl.net.PrefixRateLimit;
import org.jrcmgr.impl.net.RateLimit;
import org.jrcmgr.impl.net.SubnetRateLimit;

/**
 * Decides when a transport such as QUIC must verify a client's source address (with a retry
 * token) before starting a handshake: go's {@code VerifySourceAddress}.
 *
 * <p>A spoofed source address that is not verified holds a connection-limiter slot for the whole
 * handshake. So each range of the {@link ConnLimiter} gets a token bucket holding half of its
 * connection count; while tokens last, handshakes start unverified; once a range's bucket is
 * empty, its clients must prove their address. Buckets refill at {@link #SOURCE_ADDRESS_RPS},
 * slowly, trading some latency (a verification round trip) for protection against spoofing.
 *
 * <p>Thread-safe.
 */
public final class SourceAddressVerifier {

    /** The refill rate: one token per two assumed worst-case QUIC handshakes of 5 s each. */
    public static final double SOURCE_ADDRESS_RPS = 1.0 / (2 * 5.0);

    private static final Duration GRACE_PERIOD = Duration.ofMinutes(1);

    private final RateLimiter limiter;

    /**
     * A verifier asking a rate limiter: verification is needed whenever the limiter refuses.
     *
     * @param limiter the limiter, usually built from {@link #configFor(ConnLimiterConfig)}
     */
    public SourceAddressVerifier(RateLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter must not be null");
    }

    /**
     * The verifier go builds at construction, from the connection limiter's configuration after
     * the allowlisted networks were registered in it.
     *
     * @param connLimits the connection limits, as {@link ConnLimiter#config()} returns them
     * @return the verifier, on the system clock
     */
    public static SourceAddressVerifier forConnLimits(ConnLimiterConfig connLimits) {
        return new SourceAddressVerifier(new RateLimiter(configFor(connLimits)));
    }

    /**
     * The rate limits derived from connection limits: for each network limit and each per-subnet
     * limit of either family, a bucket of {@code connCount / 2} tokens refilled at
     * {@link #SOURCE_ADDRESS_RPS}; no global limit; a grace period of one minute. Network limits are
     * listed IPv4 first, then IPv6, each in the connection limits' order.
     *
     * <p>An unlimited connection count gives an unlimited rate (go's {@code MaxInt / 2} tokens, never
     * exhausted in practice); a count beyond twice {@link Integer#MAX_VALUE} gives a bucket of
     * {@code Integer.MAX_VALUE} tokens.
     *
     * @param connLimits the connection limits
     * @return the rate limits
     */
    public static ConnRateLimiterConfig configFor(ConnLimiterConfig connLimits) {
        Objects.requireNonNull(connLimits, "connLimits must not be null");
        List<PrefixRateLimit> networks = new ArrayList<>();
        for (List<NetworkPrefixLimit> family : List.of(connLimits.networkPrefixLimitsV4(),
                connLimits.networkPrefixLimitsV6())) {
            for (NetworkPrefixLimit l : family) {
                networks.add(new PrefixRateLimit(l.network(), halfOf(l.connCount())));
            }
        }
        return new ConnRateLimiterConfig(networks, RateLimit.unlimited(),
                subnets(connLimits.subnetLimitsV4()), subnets(connLimits.subnetLimitsV6()), GRACE_PERIOD);
    }

    /**
     * Tells whether a client must verify its address before its handshake starts; each call that
     * answers false uses one unverified handshake of the address's ranges.
     *
     * @param address the client's address
     * @return true if the address must be verified
     */
    public boolean shouldVerify(IpAddress address) {
        return !limiter.allow(address);
    }

    /**
     * Tells whether a client must verify its address, as {@link #shouldVerify(IpAddress)}.
     *
     * @param address the client's address
     * @return true if the address must be verified
     */
    public boolean shouldVerify(InetAddress address) {
        return shouldVerify(IpAddress.of(address));
    }

    /**
     * Tells whether a client must verify its address, given the socket address a transport
     * received a packet from. Anything but a resolved {@link InetSocketAddress} must be verified,
     * as go answers true when the address does not parse as IP and port.
     *
     * @param remote the packet's source
     * @return true if the address must be verified
     */
    public boolean shouldVerify(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && !inet.isUnresolved() && inet.getAddress() != null) {
            return shouldVerify(inet.getAddress());
        }
        return true;
    }

    private static List<SubnetRateLimit> subnets(List<ConnLimitPerSubnet> limits) {
        List<SubnetRateLimit> out = new ArrayList<>(limits.size());
        for (ConnLimitPerSubnet l : limits) {
            out.add(new SubnetRateLimit(l.prefixLength(), halfOf(l.connCount())));
        }
        return out;
    }

    private static RateLimit halfOf(LimitValue connCount) {
        if (connCount.isUnlimited()) {
            return RateLimit.unlimited();
        }
        long half = connCount.capacity() / 2;
        return RateLimit.of(SOURCE_ADDRESS_RPS, (int) Math.min(half, Integer.MAX_VALUE));
    }
}
