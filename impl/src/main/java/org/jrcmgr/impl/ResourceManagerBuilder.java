package org.jrcmgr.impl;

import java.time.Duration;
import java.util.Objects;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.scope.DefaultResourceManager;

/**
 * Builds the default {@link ResourceManager}.
 *
 * <pre>{@code
 * ConcreteLimitConfig limits = DefaultLimits.defaults().scale(1L << 30, 4096);
 * try (ResourceManager rm = ResourceManagerBuilder.create().limits(limits).build()) {
 *     ...
 * }
 * }</pre>
 *
 * Without limits the manager scales go-libp2p's defaults to this machine
 * ({@link org.jrcmgr.impl.limit.ScalingLimitConfig#autoScale()}).
 */
public final class ResourceManagerBuilder {

    /** go-libp2p collects idle peer and protocol scopes once a minute. */
    public static final Duration DEFAULT_COLLECT_INTERVAL = Duration.ofMinutes(1);

    private Limiter limiter;
    private Duration collectInterval = DEFAULT_COLLECT_INTERVAL;
    private boolean shadowMode;

    private ResourceManagerBuilder() {
    }

    /** A builder with the defaults. */
    public static ResourceManagerBuilder create() {
        return new ResourceManagerBuilder();
    }

    /** Fixed limits for every scope. */
    public ResourceManagerBuilder limits(ConcreteLimitConfig limits) {
        this.limiter = new FixedLimiter(Objects.requireNonNull(limits, "limits"));
        return this;
    }

    /** A limiter of your own, asked for a scope's limits when the scope is created. */
    public ResourceManagerBuilder limiter(Limiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        return this;
    }

    /**
     * How often idle peer and protocol scopes are collected; {@code null} turns collection off
     * (their scopes then live as long as the manager).
     */
    public ResourceManagerBuilder collectInterval(Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("the collection interval must be positive, got " + interval);
        }
        this.collectInterval = interval;
        return this;
    }

    /**
     * Shadow mode for the whole manager: nothing is refused, and every reservation that a limit
     * would have refused is counted and kept in {@link ResourceManager#recentRefusals()} as a
     * shadow refusal, with the same detail as a real one. Run a node like this to size limits from
     * real traffic before enforcing them. A single scope can be put in shadow mode at run time
     * through {@link org.jrcmgr.ResourceScopeLimiter#setShadow}.
     */
    public ResourceManagerBuilder shadowMode(boolean shadow) {
        this.shadowMode = shadow;
        return this;
    }

    /** The manager. Close it when done: it runs a background collector. */
    public ResourceManager build() {
        Limiter l = limiter != null ? limiter : new FixedLimiter(DefaultLimits.defaults().autoScale());
        return new DefaultResourceManager(l, collectInterval, shadowMode);
    }
}
