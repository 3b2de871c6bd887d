package org.jrcmgr.impl.net;

/**
 * A rate limit: a token bucket or no limit at all (go's {@code rate.Limit}, where an RPS of 0
 * means unlimited; here that is a value of its own, never a magic number).
 *
 * <p>A bucket holds up to {@code burst} tokens, starts full and refills at {@code rps} tokens per
 * second; each admitted event takes one token. Over any interval of {@code T} seconds at most
 * {@code T × rps + burst} events are admitted.
 */
public sealed interface RateLimit permits RateLimit.Unlimited, RateLimit.Bucket {

    /**
     * No rate limit.
     *
     * @return the unlimited value
     */
    static RateLimit unlimited() {
        return Unlimited.INSTANCE;
    }

    /**
     * A token bucket.
     *
     * @param rps tokens added per second, positive and finite
     * @param burst the bucket's capacity, at least 0 (0 admits nothing)
     * @return the limit
     * @throws IllegalArgumentException if {@code rps} is not positive and finite, or {@code burst}
     *     is negative
     */
    static Bucket of(double rps, int burst) {
        return new Bucket(rps, burst);
    }

    /**
     * Tells whether this is the unlimited value.
     *
     * @return true for {@link #unlimited()}
     */
    default boolean isUnlimited() {
        return this instanceof Unlimited;
    }

    /** No rate limit. */
    enum Unlimited implements RateLimit {
        /** The one unlimited value. */
        INSTANCE;

        @Override
        public String toString() {
            return "unlimited";
        }
    }

    /**
     * A token bucket of {@code burst} tokens refilled at {@code rps} tokens per second.
     *
     * @param rps tokens added per second, positive and finite
     * @param burst the capacity, at least 0
     */
    record Bucket(double rps, int burst) implements RateLimit {
        /**
         * @param rps tokens added per second
         * @param burst the capacity
         * @throws IllegalArgumentException if {@code rps} is not positive and finite, or
         *     {@code burst} is negative
         */
        public Bucket {
            if (!(rps > 0) || Double.isInfinite(rps)) {
                throw new IllegalArgumentException("rps must be positive and finite, got " + rps
                        + " (use RateLimit.unlimited() for no limit)");
            }
            if (burst < 0) {
                throw new IllegalArgumentException("burst must not be negative, got " + burst);
            }
        }

        @Override
        public String toString() {
            return rps + "/s burst " + burst;
        }
    }
}
