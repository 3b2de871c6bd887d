package org.jrcmgr.impl.limit;

import java.util.Objects;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;

/**
 * The limits of one scope as a function of the node's budget: a base limit, which is what a node
 * with at most {@link #BASE_MEMORY_BUDGET} of memory budget gets, plus an increase per GiB.
 *
 * @param base     the limits at the smallest budget
 * @param increase what is added per GiB of memory budget
 */
public record ScopeScaling(BaseLimit base, BaseLimitIncrease increase) {

    /**
     * The memory budget up to which a scope gets only its base limits (128 MiB). Above it the
     * <em>whole</em> budget counts, not just the part above it, so there is a step: 128 MiB gives
     * the base, 129 MiB already adds about 0.126 of the increase. This is go-libp2p's behaviour.
     */
    public static final long BASE_MEMORY_BUDGET = 128L << 20;

    /**
     * @throws NullPointerException if an argument is null
     */
    public ScopeScaling {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(increase, "increase");
    }

    /** The limits {@code base} whatever the budget. */
    public static ScopeScaling unscaled(BaseLimit base) {
        return new ScopeScaling(base, BaseLimitIncrease.NONE);
    }

    /**
     * The limits for a node with {@code memoryBytes} of memory budget and {@code numFd} file
     * descriptors to spend, by go-libp2p's formula:
     * <pre>
     * mib    = memoryBytes &gt; 128 MiB ? memoryBytes &gt;&gt; 20 : 0
     * count  = base + (increase &times; mib) &gt;&gt; 10          (each of the six counts)
     * memory = base.memory + (increase.memory &times; mib) &gt;&gt; 10
     * fd     = fdFraction &gt; 0 &amp;&amp; numFd &gt; 0 ? max((long) (fdFraction &times; numFd), base.fd) : base.fd
     * </pre>
     * An unlimited base limit stays unlimited. A block-all base counts as 0, so an increase lifts
     * it, as in go-libp2p. Where go-libp2p's integers would overflow, the result saturates to
     * unlimited instead: the product {@code increase × mib} is computed exactly in 128 bits, and a
     * sum or share that does not fit below {@link Long#MAX_VALUE} becomes
     * {@link LimitValue#unlimited()}.
     *
     * @param memoryBytes the memory budget in bytes
     * @param numFd       the file descriptors to spend; 0 when unknown, which keeps the base FD limit
     * @throws IllegalArgumentException if an argument is negative
     */
    public BaseLimit scale(long memoryBytes, long numFd) {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must not be negative, got " + memoryBytes);
        }
        if (numFd < 0) {
            throw new IllegalArgumentException("numFd must not be negative, got " + numFd);
        }
        long mib = memoryBytes > BASE_MEMORY_BUDGET ? memoryBytes >> 20 : 0;
        return new BaseLimit(
                grow(base.streams(), increase.streams(), mib),
                grow(base.streamsInbound(), increase.streamsInbound(), mib),
                grow(base.streamsOutbound(), increase.streamsOutbound(), mib),
                grow(base.conns(), increase.conns(), mib),
                grow(base.connsInbound(), increase.connsInbound(), mib),
                grow(base.connsOutbound(), increase.connsOutbound(), mib),
                fdShare(numFd),
                grow(base.memory(), increase.memory(), mib));
    }

    private LimitValue fdShare(long numFd) {
        LimitValue baseFd = base.fd();
        if (baseFd.isUnlimited() || increase.fdFraction() == 0 || numFd == 0) {
            return baseFd;
        }
        // A double-to-long cast saturates at Long.MAX_VALUE, which LimitValue.of reads as unlimited.
        long share = (long) (increase.fdFraction() * numFd);
        return LimitValue.of(Math.max(share, baseFd.capacity()));
    }

    private static LimitValue grow(LimitValue base, long perGiB, long mib) {
        if (base.isUnlimited()) {
            return base;
        }
        long growth = shiftedProduct(perGiB, mib);
        long current = base.capacity();
        if (growth > Long.MAX_VALUE - current) {
            return LimitValue.unlimited();
        }
        return LimitValue.of(current + growth);
    }

    /**
     * {@code (a × b) >> 10} for non-negative operands, exact even where {@code a × b} alone would
     * overflow a long (a large increase times a large budget), {@link Long#MAX_VALUE} when the
     * result itself does not fit.
     */
    private static long shiftedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        // The 128-bit product shifted right by 10 keeps the high word's bits at 54 and above; from
        // 2^9 on they would reach the sign bit.
        if (high >= 1L << 9) {
            return Long.MAX_VALUE;
        }
        return (high << 54) | (low >>> 10);
    }
}
