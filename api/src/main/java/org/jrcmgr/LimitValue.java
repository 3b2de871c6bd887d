package org.jrcmgr;

import java.io.Serializable;

/**
 * One limit: a number, no limit at all, or nothing admitted. Unlimited and block-all are values of
 * their own, never magic numbers.
 */
public sealed interface LimitValue extends Serializable permits LimitValue.Unlimited, LimitValue.BlockAll, LimitValue.Finite {

    /** No limit. */
    static LimitValue unlimited() {
        return Unlimited.INSTANCE;
    }

    /** Nothing is admitted. */
    static LimitValue blockAll() {
        return BlockAll.INSTANCE;
    }

    /**
     * The limit {@code n}: block-all for 0, unlimited for {@link Long#MAX_VALUE} (go-libp2p's
     * {@code MaxInt64}), a finite limit otherwise.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    static LimitValue of(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a limit must not be negative, got " + n
                    + " (use LimitValue.unlimited() or LimitValue.blockAll())");
        }
        if (n == 0) {
            return BlockAll.INSTANCE;
        }
        if (n == Long.MAX_VALUE) {
            return Unlimited.INSTANCE;
        }
        return new Finite(n);
    }

    /**
     * The largest amount admitted: {@link Long#MAX_VALUE} when unlimited, 0 when blocking all.
     */
    long capacity();

    /** Whether this is the unlimited value. */
    default boolean isUnlimited() {
        return this instanceof Unlimited;
    }

    /** No limit at all. */
    enum Unlimited implements LimitValue {
        /** The one unlimited value. */
        INSTANCE;

        @Override
        public long capacity() {
            return Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return "unlimited";
        }
    }

    /** Nothing is admitted. */
    enum BlockAll implements LimitValue {
        /** The one block-all value. */
        INSTANCE;

        @Override
        public long capacity() {
            return 0;
        }

        @Override
        public String toString() {
            return "blockAll";
        }
    }

    /**
     * At most {@code value} is admitted.
     *
     * @param value the limit, at least 1 and below {@link Long#MAX_VALUE}
     */
    record Finite(long value) implements LimitValue {
        /**
         * @throws IllegalArgumentException if {@code value} is not within 1 and {@code Long.MAX_VALUE - 1}
         */
        public Finite {
            if (value < 1 || value == Long.MAX_VALUE) {
                throw new IllegalArgumentException("a finite limit must be within 1.." + (Long.MAX_VALUE - 1)
                        + ", got " + value + " (use LimitValue.of for 0 or unlimited)");
            }
        }

        @Override
        public long capacity() {
            return value;
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }
}
