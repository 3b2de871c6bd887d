package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReservationPriorityTest {

    /** The definition, computed without any chance of overflow. */
    private static long expectedThreshold(long limit, int priority) {
        return BigInteger.valueOf(limit).multiply(BigInteger.valueOf(priority + 1L))
                .divide(BigInteger.valueOf(256)).longValueExact();
    }

    @Test
    void namedPriorityValues() {
        assertEquals(101, ReservationPriority.LOW.value());
        assertEquals(152, ReservationPriority.MEDIUM.value());
        assertEquals(203, ReservationPriority.HIGH.value());
        assertEquals(255, ReservationPriority.ALWAYS.value());
    }

    @Test
    void thresholdsOf4096() {
        assertEquals(1632, ReservationPriority.LOW.threshold(4096));
        assertEquals(2448, ReservationPriority.MEDIUM.threshold(4096));
        assertEquals(3264, ReservationPriority.HIGH.threshold(4096));
        assertEquals(4096, ReservationPriority.ALWAYS.threshold(4096));
    }

    @Test
    void admissionAtTheThresholdIsExact() {
        assertTrue(ReservationPriority.LOW.admits(0, 1632, 4096));
        assertFalse(ReservationPriority.LOW.admits(0, 1633, 4096));
        assertTrue(ReservationPriority.LOW.admits(1000, 632, 4096));
        assertFalse(ReservationPriority.LOW.admits(1000, 633, 4096));
        assertTrue(ReservationPriority.ALWAYS.admits(4095, 1, 4096));
        assertFalse(ReservationPriority.ALWAYS.admits(4096, 1, 4096));
        assertTrue(ReservationPriority.ALWAYS.admits(4096, 0, 4096));
    }

    @Test
    void thresholdMatchesTheDefinitionAtTheExtremes() {
        long[] limits = {0, 1, 2, 255, 256, 257, 4095, 4096, 4097, 1L << 31, (1L << 32) + 17,
            Long.MAX_VALUE / 256, Long.MAX_VALUE / 255, Long.MAX_VALUE / 2, Long.MAX_VALUE - 256,
            Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        for (int p = 0; p <= 255; p++) {
            ReservationPriority priority = ReservationPriority.of(p);
            for (long limit : limits) {
                assertEquals(expectedThreshold(limit, p), priority.threshold(limit), "limit " + limit + " priority " + p);
            }
        }
    }

    @Test
    void thresholdMatchesTheDefinitionForRandomLimits() {
        SplittableRandom random = new SplittableRandom(0x5eed);
        LongStream.range(0, 20_000).forEach(i -> {
            // Half spread over all longs, half small, where the remainder term matters most.
            long limit = i % 2 == 0 ? random.nextLong(0, Long.MAX_VALUE) : random.nextLong(0, 1 << 20);
            int p = random.nextInt(256);
            assertEquals(expectedThreshold(limit, p), ReservationPriority.of(p).threshold(limit),
                    "limit " + limit + " priority " + p);
        });
    }

    @Test
    void thresholdOfANegativeLimitIsZero() {
        assertEquals(0, ReservationPriority.ALWAYS.threshold(-1));
        assertEquals(0, ReservationPriority.ALWAYS.threshold(Long.MIN_VALUE));
    }

    @Test
    void thresholdIsMonotoneInPriority() {
        long limit = Long.MAX_VALUE - 1;
        for (int p = 1; p <= 255; p++) {
            assertTrue(ReservationPriority.of(p).threshold(limit) > ReservationPriority.of(p - 1).threshold(limit));
        }
    }

    @Test
    void admitsRejectsOverflowOfCurrentPlusRequested() {
        long limit = Long.MAX_VALUE - 1;
        assertFalse(ReservationPriority.ALWAYS.admits(Long.MAX_VALUE, 1, limit));
        assertFalse(ReservationPriority.ALWAYS.admits(1, Long.MAX_VALUE, limit));
        assertFalse(ReservationPriority.ALWAYS.admits(Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE / 2 + 1, limit));
        assertFalse(ReservationPriority.ALWAYS.admits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
        assertTrue(ReservationPriority.ALWAYS.admits(Long.MAX_VALUE - 2, 1, limit));
        assertFalse(ReservationPriority.ALWAYS.admits(Long.MAX_VALUE - 1, 1, limit));
    }

    @Test
    void ofIsInterned() {
        for (int p = 0; p <= 255; p++) {
            assertSame(ReservationPriority.of(p), ReservationPriority.of(p));
            assertEquals(p, ReservationPriority.of(p).value());
        }
        assertSame(ReservationPriority.LOW, ReservationPriority.of(101));
        assertSame(ReservationPriority.ALWAYS, ReservationPriority.of(255));
        assertEquals(ReservationPriority.of(7), new ReservationPriority(7));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 256, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void outOfRangeIsRejectedWithAMessage(int value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReservationPriority.of(value));
        assertTrue(e.getMessage().contains("0..255"), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(value)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReservationPriority(value));
    }

    @Test
    void toStringNamesTheNamedPriorities() {
        assertEquals("LOW(101)", ReservationPriority.LOW.toString());
        assertEquals("MEDIUM(152)", ReservationPriority.MEDIUM.toString());
        assertEquals("HIGH(203)", ReservationPriority.HIGH.toString());
        assertEquals("ALWAYS(255)", ReservationPriority.ALWAYS.toString());
        assertEquals("128", ReservationPriority.of(128).toString());
    }
}
