/**
 * Limits and where they come from: go-libp2p's scaling configuration ({@link
 * org.jrcmgr.impl.limit.ScalingLimitConfig}, {@link org.jrcmgr.impl.limit.DefaultLimits}), the
 * resolved limits it scales to ({@link org.jrcmgr.impl.limit.ConcreteLimitConfig}), the machine
 * budget it scales by ({@link org.jrcmgr.impl.limit.SystemBudget}), and the {@link
 * org.jrcmgr.impl.limit.Limiter} that hands limits to scopes ({@link
 * org.jrcmgr.impl.limit.FixedLimiter}).
 *
 * <p>Typical use, as go-libp2p's default host does it:
 * <pre>{@code
 * ConcreteLimitConfig limits = DefaultLimits.withDefaultServiceLimits(DefaultLimits.defaults()).autoScale();
 * Limiter limiter = new FixedLimiter(limits);
 * }</pre>
 */
package org.jrcmgr.impl.limit;
