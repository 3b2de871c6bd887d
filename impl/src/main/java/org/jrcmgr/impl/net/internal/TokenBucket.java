package org.jrcmgr.impl.net.internal;

import org.jrcmgr.impl.net.RateLimit;

/**
 * One token bucket, with the arithmetic of go's {@code golang.org/x/time/rate.Limiter}: it starts
 * full with {@code burst} tokens, gains {@code rps} tokens per second up to {@code burst}, and each
 * admitted event takes one whole token. Time is a monotonic nanosecond reading (as
 * {@link System#nanoTime()}) passed in by the caller, so tests control it.
 *
 * <p>Thread-safe: each bucket has its own monitor, held for a few arithmetic operations. The
 * {@link #unlimited()} bucket has no state and no lock.
 */
final class TokenBucket {

    /** Durations are capped here (about 146 years) so that sums of times never overflow. */
    private static final long FOREVER_NANOS = 1L << 62;
    private static final double NANOS_PER_SECOND = 1e9;

    private static final TokenBucket UNLIMITED = new TokenBucket();

    /** What {@link #take(long)} did. */
    enum Take {
        /** A token was taken. */
        TAKEN,
        /** The bucket had less than one token; nothing changed. */
        EMPTY,
        /** The bucket was evicted and must be replaced by a fresh one; nothing changed. */
        RETIRED
    }

    private final boolean unlimited;
    private final double rps;
    private final int burst;
    private double tokens;
    private long last;
    private boolean retired;

    private TokenBucket() {
        this.unlimited = true;
        this.rps = Double.POSITIVE_INFINITY;
        this.burst = 0;
    }

    /**
     * A full bucket.
     *
     * @param limit the rate and capacity
     * @param now the current time in nanoseconds
     */
    TokenBucket(RateLimit.Bucket limit, long now) {
        this.unlimited = false;
        this.rps = limit.rps();
        this.burst = limit.burst();
        this.tokens = limit.burst();
        this.last = now;
    }

    /** The stateless bucket that admits everything. */
    static TokenBucket unlimited() {
        return UNLIMITED;
    }

    /** A bucket for a limit: {@link #unlimited()} for the unlimited one, else a full bucket. */
    static TokenBucket of(RateLimit limit, long now) {
        return limit instanceof RateLimit.Bucket bucket ? new TokenBucket(bucket, now) : UNLIMITED;
    }

    boolean isUnlimited() {
        return unlimited;
    }

    /**
     * Takes a token if there is one.
     *
     * @param now the current time in nanoseconds
     * @return whether a token was taken
     */
    boolean tryTake(long now) {
        return take(now) == Take.TAKEN;
    }

    /**
     * Takes a token if there is one and the bucket was not evicted.
     *
     * @param now the current time in nanoseconds
     * @return what happened
     */
    Take take(long now) {
        if (unlimited) {
            return Take.TAKEN;
        }
        synchronized (this) {
            if (retired) {
                return Take.RETIRED;
            }
            advance(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Take.TAKEN;
            }
            return Take.EMPTY;
        }
    }

    /**
     * When the bucket will be full if nothing is taken from now on (go's {@code FullAt}).
     *
     * @param now the current time in nanoseconds
     * @return that time in nanoseconds; {@code now} if it is full already
     */
    long fullAt(long now) {
        if (unlimited) {
            return now;
        }
        synchronized (this) {
            advance(now);
            return now + nanosToRefill(burst - tokens);
        }
    }

    /**
     * Evicts the bucket if it has been full for at least {@code graceNanos} by {@code now}: go's
     * bucket expiry, "full again plus the grace period". An evicted bucket admits nothing more
     * ({@link Take#RETIRED}), so that a token is never taken from a bucket that is no longer in
     * use; its owner replaces it with a fresh, equally full bucket.
     *
     * @param now the current time in nanoseconds
     * @param graceNanos the grace period, at least 0
     * @return whether the bucket is now evicted
     */
    boolean retireIfExpired(long now, long graceNanos) {
        if (unlimited) {
            return false;
        }
        synchronized (this) {
            if (!retired) {
                long expiry = last + nanosToRefill(burst - tokens) + Math.min(graceNanos, FOREVER_NANOS);
                retired = now - expiry >= 0;
            }
            return retired;
        }
    }

    private void advance(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * rps / NANOS_PER_SECOND);
            last = now;
        }
    }

    private long nanosToRefill(double missing) {
        if (missing <= 0) {
            return 0;
        }
        double nanos = missing / rps * NANOS_PER_SECOND;
        return nanos >= FOREVER_NANOS ? FOREVER_NANOS : (long) Math.ceil(nanos);
    }

    @Override
    public String toString() {
        if (unlimited) {
            return "unlimited";
        }
        synchronized (this) {
            return tokens + "/" + burst + " tokens at " + rps + "/s";
        }
    }
}
