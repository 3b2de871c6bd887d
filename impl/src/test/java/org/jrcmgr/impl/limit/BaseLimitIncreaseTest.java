package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BaseLimitIncreaseTest {

    @Test
    void noneIsAllZero() {
        assertEquals(new BaseLimitIncrease(0, 0, 0, 0, 0, 0, 0, 0), BaseLimitIncrease.NONE);
    }

    @Test
    void theBuilderSetsEveryField() {
        BaseLimitIncrease inc = BaseLimitIncrease.builder()
                .streams(2, 3, 1).conns(5, 6, 4).memory(7).fdFraction(0.5).build();

        assertEquals(new BaseLimitIncrease(1, 2, 3, 4, 5, 6, 7, 0.5), inc);
        assertEquals(inc, inc.toBuilder().build());
        assertEquals(new BaseLimitIncrease(1, 2, 3, 4, 5, 6, 8, 0.5), inc.toBuilder().memory(8).build());
    }

    @Test
    void negativeCountsAreRejectedByName() {
        String[] names = {"streams", "streamsInbound", "streamsOutbound", "conns", "connsInbound", "connsOutbound",
            "memory"};
        for (int i = 0; i < names.length; i++) {
            long[] v = new long[7];
            v[i] = -1;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BaseLimitIncrease(v[0], v[1], v[2], v[3], v[4], v[5], v[6], 0));
            assertTrue(e.getMessage().startsWith(names[i] + " "), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void fdFractionOutsideZeroToOneIsRejected(double fraction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BaseLimitIncrease.builder().fdFraction(fraction).build());
        assertTrue(e.getMessage().startsWith("fdFraction "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1.0 / 64, 0.25, 1})
    void fdFractionWithinZeroToOneIsAccepted(double fraction) {
        assertEquals(fraction, BaseLimitIncrease.builder().fdFraction(fraction).build().fdFraction());
    }
}
