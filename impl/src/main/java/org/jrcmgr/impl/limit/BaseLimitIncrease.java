package org.jrcmgr.impl.limit;

/**
 * How much a scope's limits grow for each GiB of memory budget, go-libp2p's {@code BaseLimitIncrease}.
 * {@link ScopeScaling} adds it to a {@link org.jrcmgr.BaseLimit} in proportion to the budget.
 *
 * <p>The counts are plain numbers rather than {@link org.jrcmgr.LimitValue}s: an increase has no
 * "unlimited" or "block all", only an amount, and 0 means no growth.
 *
 * @param streams         streams of both directions together, per GiB
 * @param streamsInbound  inbound streams per GiB
 * @param streamsOutbound outbound streams per GiB
 * @param conns           connections of both directions together, per GiB
 * @param connsInbound    inbound connections per GiB
 * @param connsOutbound   outbound connections per GiB
 * @param memory          bytes of memory per GiB of budget; more than 1 GiB would give a scope more
 *                        than the whole budget
 * @param fdFraction      the share of the file-descriptor budget the scope may use, in [0, 1]; 0
 *                        keeps the base limit
 */
public record BaseLimitIncrease(long streams, long streamsInbound, long streamsOutbound,
                                long conns, long connsInbound, long connsOutbound,
                                long memory, double fdFraction) {

    /** No growth at all: scaling gives the base limit back. */
    public static final BaseLimitIncrease NONE = new BaseLimitIncrease(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * @throws IllegalArgumentException if a count or the memory is negative, or {@code fdFraction}
     *                                  is NaN or outside [0, 1]
     */
    public BaseLimitIncrease {
        requireNonNegative(streams, "streams");
        requireNonNegative(streamsInbound, "streamsInbound");
        requireNonNegative(streamsOutbound, "streamsOutbound");
        requireNonNegative(conns, "conns");
        requireNonNegative(connsInbound, "connsInbound");
        requireNonNegative(connsOutbound, "connsOutbound");
        requireNonNegative(memory, "memory");
        // The negated test also catches NaN, which fails every comparison.
        if (!(fdFraction >= 0.0 && fdFraction <= 1.0)) {
            throw new IllegalArgumentException("fdFraction must be within [0, 1], got " + fdFraction);
        }
    }

    /** A builder starting from {@link #NONE}. */
    public static Builder builder() {
        return new Builder(NONE);
    }

    /** A builder starting from this increase's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireNonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }

    /**
     * Builds a {@link BaseLimitIncrease} field by field, in the same shape as
     * {@link org.jrcmgr.BaseLimit.Builder}. Values are checked by {@link #build()}.
     */
    public static final class Builder {
        private long streams;
        private long streamsInbound;
        private long streamsOutbound;
        private long conns;
        private long connsInbound;
        private long connsOutbound;
        private long memory;
        private double fdFraction;

        private Builder(BaseLimitIncrease from) {
            streams = from.streams;
            streamsInbound = from.streamsInbound;
            streamsOutbound = from.streamsOutbound;
            conns = from.conns;
            connsInbound = from.connsInbound;
            connsOutbound = from.connsOutbound;
            memory = from.memory;
            fdFraction = from.fdFraction;
        }

        /** Inbound, outbound and total streams per GiB. */
        public Builder streams(long inbound, long outbound, long total) {
            streamsInbound = inbound;
            streamsOutbound = outbound;
            streams = total;
            return this;
        }

        /** Inbound, outbound and total connections per GiB. */
        public Builder conns(long inbound, long outbound, long total) {
            connsInbound = inbound;
            connsOutbound = outbound;
            conns = total;
            return this;
        }

        /** Bytes of memory per GiB of budget. */
        public Builder memory(long bytesPerGiB) {
            memory = bytesPerGiB;
            return this;
        }

        /** The share of the file-descriptor budget, in [0, 1]. */
        public Builder fdFraction(double fraction) {
            fdFraction = fraction;
            return this;
        }

        /**
         * The increase.
         *
         * @throws IllegalArgumentException if a value is out of range, see {@link BaseLimitIncrease}
         */
        public BaseLimitIncrease build() {
            return new BaseLimitIncrease(streams, streamsInbound, streamsOutbound, conns, connsInbound,
                    connsOutbound, memory, fdFraction);
        }
    }
}
