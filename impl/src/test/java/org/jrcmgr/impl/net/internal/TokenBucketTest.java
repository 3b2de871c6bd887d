package org.jrcmgr.impl.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.jrcmgr.impl.net.RateLimit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    /** go's TestTokenBucketFullAfter: an emptied bucket is full again after burst / rps. */
    @ParameterizedTest
    @CsvSource({"1, 10, 10", "0.01, 10, 1000", "0.01, 1, 100"})
    void tokenBucketFullAfter(double rps, int burst, long fullAfterSeconds) {
        long now = 5_000_000_000L;
        TokenBucket bucket = new TokenBucket(RateLimit.of(rps, burst), now);
        assertEquals(now, bucket.fullAt(now), "a new bucket is full");
        for (int i = 0; i < burst; i++) {
            assertTrue(bucket.tryTake(now));
        }
        assertFalse(bucket.tryTake(now));
        long fullAfter = bucket.fullAt(now) - now;
        long epsilon = Duration.ofMillis(10).toNanos();
        long expected = Duration.ofSeconds(fullAfterSeconds).toNanos();
        assertTrue(Math.abs(fullAfter - expected) <= epsilon, fullAfter + " vs " + expected);
    }

    @Test
    void refillsAtTheRateAndCapsAtBurst() {
        FakeClock clock = new FakeClock();
        TokenBucket bucket = new TokenBucket(RateLimit.of(2, 3), clock.getAsLong());
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(clock.getAsLong()));
        }
        assertFalse(bucket.tryTake(clock.getAsLong()));
        clock.advance(Duration.ofMillis(499));
        assertFalse(bucket.tryTake(clock.getAsLong()), "0.998 tokens");
        clock.advance(Duration.ofMillis(1));
        assertTrue(bucket.tryTake(clock.getAsLong()));
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(clock.getAsLong()));
        }
        assertFalse(bucket.tryTake(clock.getAsLong()), "capped at the burst");
    }

    @Test
    void zeroBurstAdmitsNothingAndUnlimitedEverything() {
        TokenBucket empty = new TokenBucket(RateLimit.of(1000, 0), 0);
        assertFalse(empty.tryTake(0));
        assertFalse(empty.tryTake(Duration.ofHours(1).toNanos()));
        for (int i = 0; i < 10_000; i++) {
            assertTrue(TokenBucket.unlimited().tryTake(i));
        }
    }

    @Test
    void retiresOnlyOnceFullForTheGracePeriod() {
        long t0 = -Duration.ofDays(1).toNanos(); // nanoTime may be negative
        long grace = Duration.ofSeconds(30).toNanos();
        TokenBucket bucket = new TokenBucket(RateLimit.of(1, 10), t0);
        assertTrue(bucket.tryTake(t0));
        assertTrue(bucket.tryTake(t0)); // full again at t0 + 2 s
        long expiry = t0 + Duration.ofSeconds(2).toNanos() + grace;
        assertFalse(bucket.retireIfExpired(expiry - 1, grace));
        assertEquals(TokenBucket.Take.TAKEN, bucket.take(expiry - 1)); // full at expiry - 1 + 1 s now
        assertFalse(bucket.retireIfExpired(expiry, grace));
        long later = expiry - 1 + Duration.ofSeconds(1).toNanos() + grace;
        assertTrue(bucket.retireIfExpired(later, grace));
        assertEquals(TokenBucket.Take.RETIRED, bucket.take(later));
    }

    @Test
    void hugeRefillTimesDoNotOverflow() {
        TokenBucket bucket = new TokenBucket(RateLimit.of(1e-300, 5), Long.MAX_VALUE - 10);
        assertTrue(bucket.tryTake(Long.MAX_VALUE - 10));
        assertTrue(bucket.fullAt(0) - 0 > Duration.ofDays(365 * 100).toNanos());
        assertFalse(bucket.retireIfExpired(Long.MAX_VALUE - 5, Long.MAX_VALUE));
    }
}
