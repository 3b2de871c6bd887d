package org.jrcmgr.impl.scope;

import java.time.Duration;
import java.util.Objects;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.observe.ScopeObserver;

/**
 * Everything a {@link DefaultResourceManager} is made from; the public builder fills it in.
 *
 * @param limiter         where scopes get their limits
 * @param collectInterval how often idle scopes are collected; null for never
 * @param shadowMode      whether the manager only records would-be refusals
 * @param observer        who is told of every event
 * @param allowlist       trusted endpoints, admitted into their own scopes when the others are full
 * @param connLimits      concurrent connections per subnet and network prefix
 * @param connRateLimits  connection rate per subnet, network prefix and overall
 */
public record ManagerConfig(Limiter limiter, Duration collectInterval, boolean shadowMode, ScopeObserver observer,
                            Allowlist allowlist, ConnLimiterConfig connLimits, ConnRateLimiterConfig connRateLimits) {

    /** @throws NullPointerException if a component other than the collection interval is null */
    public ManagerConfig {
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(allowlist, "allowlist");
        Objects.requireNonNull(connLimits, "connLimits");
        Objects.requireNonNull(connRateLimits, "connRateLimits");
        if (collectInterval != null && (collectInterval.isNegative() || collectInterval.isZero())) {
            throw new IllegalArgumentException("the collection interval must be positive, got " + collectInterval);
        }
    }

    /** A configuration with go-libp2p's default address limits and an empty allowlist. */
    public ManagerConfig(Limiter limiter, Duration collectInterval, boolean shadowMode, ScopeObserver observer) {
        this(limiter, collectInterval, shadowMode, observer, new Allowlist(), ConnLimiterConfig.defaults(),
                ConnRateLimiterConfig.defaults());
    }

    /**
     * Limits from {@code limiter}, go-libp2p's default address limits, no collector, enforcing,
     * unobserved: what tests start from.
     */
    public static ManagerConfig of(Limiter limiter) {
        return new ManagerConfig(limiter, null, false, ScopeObserver.NONE);
    }

    /** The same with another observer. */
    public ManagerConfig withObserver(ScopeObserver newObserver) {
        return new ManagerConfig(limiter, collectInterval, shadowMode, newObserver, allowlist, connLimits,
                connRateLimits);
    }

    /** The same with shadow mode on or off. */
    public ManagerConfig withShadowMode(boolean shadow) {
        return new ManagerConfig(limiter, collectInterval, shadow, observer, allowlist, connLimits, connRateLimits);
    }

    /** The same with another collection interval (null for none). */
    public ManagerConfig withCollectInterval(Duration interval) {
        return new ManagerConfig(limiter, interval, shadowMode, observer, allowlist, connLimits, connRateLimits);
    }

    /** The same with another allowlist. */
    public ManagerConfig withAllowlist(Allowlist newAllowlist) {
        return new ManagerConfig(limiter, collectInterval, shadowMode, observer, newAllowlist, connLimits,
                connRateLimits);
    }

    /** The same with other limits on concurrent connections per address. */
    public ManagerConfig withConnLimits(ConnLimiterConfig limits) {
        return new ManagerConfig(limiter, collectInterval, shadowMode, observer, allowlist, limits, connRateLimits);
    }

    /** The same with other connection rate limits. */
    public ManagerConfig withConnRateLimits(ConnRateLimiterConfig limits) {
        return new ManagerConfig(limiter, collectInterval, shadowMode, observer, allowlist, connLimits, limits);
    }
}
