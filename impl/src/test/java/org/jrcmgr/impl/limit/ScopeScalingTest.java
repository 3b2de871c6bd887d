package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.junit.jupiter.api.Test;

/** The formula of one scope, with the typed-limit and overflow decisions. */
class ScopeScalingTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private static final BaseLimitIncrease ONE_PER_GIB = BaseLimitIncrease.builder()
            .streams(1024, 1024, 1024).conns(1024, 1024, 1024).memory(GIB).fdFraction(1).build();

    @Test
    void theBudgetUpTo128MiBGivesTheBase() {
        BaseLimit base = BaseLimit.builder().streams(1, 2, 3).conns(4, 5, 6).fd(7).memory(8).build();
        ScopeScaling scaling = new ScopeScaling(base, ONE_PER_GIB);

        assertEquals(base, scaling.scale(0, 0));
        assertEquals(base, scaling.scale(ScopeScaling.BASE_MEMORY_BUDGET, 0));
        assertEquals(128 * MIB, ScopeScaling.BASE_MEMORY_BUDGET);
    }

    @Test
    void aboveTheStepTheWholeBudgetCounts() {
        BaseLimit base = BaseLimit.builder().streams(1, 2, 3).conns(4, 5, 6).fd(7).memory(8).build();

        BaseLimit scaled = new ScopeScaling(base, ONE_PER_GIB).scale(ScopeScaling.BASE_MEMORY_BUDGET + MIB, 0);

        // 129 MiB with 1024 per GiB is 129 more, not 1.
        assertEquals(BaseLimit.builder().streams(130, 131, 132).conns(133, 134, 135).fd(7)
                .memory(8 + 129 * MIB).build(), scaled);
    }

    @Test
    void partialMebibytesAreDropped() {
        BaseLimit base = BaseLimit.builder().streams(1, 1, 1).build();

        BaseLimit scaled = new ScopeScaling(base, ONE_PER_GIB).scale(200 * MIB + MIB - 1, 0);

        assertEquals(201, scaled.streams().capacity());
    }

    @Test
    void anUnlimitedBaseStaysUnlimited() {
        BaseLimit scaled = new ScopeScaling(BaseLimit.UNLIMITED, ONE_PER_GIB).scale(64 * GIB, 1_000_000);

        assertEquals(BaseLimit.UNLIMITED, scaled);
    }

    @Test
    void aBlockAllBaseGrowsByTheIncreaseAsInGo() {
        BaseLimit scaled = new ScopeScaling(BaseLimit.BLOCK_ALL, ONE_PER_GIB).scale(2 * GIB, 300);

        assertEquals(BaseLimit.builder().streams(2048, 2048, 2048).conns(2048, 2048, 2048).fd(300)
                .memory(2 * GIB).build(), scaled);
    }

    @Test
    void aBlockAllBaseWithoutIncreaseStaysBlockAll() {
        BaseLimit scaled = ScopeScaling.unscaled(BaseLimit.BLOCK_ALL).scale(64 * GIB, 1000);

        assertEquals(BaseLimit.BLOCK_ALL, scaled);
    }

    @Test
    void anOverflowingSumSaturatesToUnlimited() {
        BaseLimit base = BaseLimit.builder().streams(1, 1, Long.MAX_VALUE - 1).memory(Long.MAX_VALUE - 1).build();

        BaseLimit scaled = new ScopeScaling(base, ONE_PER_GIB).scale(2 * GIB, 0);

        assertEquals(LimitValue.unlimited(), scaled.streams());
        assertEquals(LimitValue.unlimited(), scaled.memory());
        assertEquals(LimitValue.of(2049), scaled.streamsInbound());
    }

    @Test
    void anOverflowingProductIsExactWhenTheShiftedResultFits() {
        // 1 GiB per GiB at 2^62 bytes: 2^42 MiB × 2^30 overflows a long, the result 2^62 does not.
        BaseLimit base = BaseLimit.builder().memory(1).build();

        BaseLimit scaled = new ScopeScaling(base, BaseLimitIncrease.builder().memory(GIB).build())
                .scale(1L << 62, 0);

        assertEquals(LimitValue.of((1L << 62) + 1), scaled.memory());
    }

    @Test
    void aProductBeyondALongSaturatesToUnlimited() {
        BaseLimit base = BaseLimit.builder().memory(1).streams(1, 1, 1).build();
        BaseLimitIncrease huge = BaseLimitIncrease.builder().memory(Long.MAX_VALUE).streams(1, 1, Long.MAX_VALUE)
                .build();

        BaseLimit scaled = new ScopeScaling(base, huge).scale(Long.MAX_VALUE, 0);

        assertEquals(LimitValue.unlimited(), scaled.memory());
        assertEquals(LimitValue.unlimited(), scaled.streams());
        // 1 + (1 × (2^43 − 1)) >> 10
        assertEquals(LimitValue.of(1 + ((Long.MAX_VALUE >> 20) >> 10)), scaled.streamsInbound());
    }

    @Test
    void fdIsTheFractionOfTheBudgetWithTheBaseAsFloor() {
        BaseLimit base = BaseLimit.builder().fd(100).build();
        BaseLimitIncrease quarter = BaseLimitIncrease.builder().fdFraction(0.25).build();

        assertEquals(LimitValue.of(1000), new ScopeScaling(base, quarter).scale(0, 4000).fd());
        assertEquals(LimitValue.of(100), new ScopeScaling(base, quarter).scale(0, 200).fd());
    }

    @Test
    void fdStaysAtTheBaseWithoutFraction_orWithoutFdBudget() {
        BaseLimit base = BaseLimit.builder().fd(100).build();

        assertEquals(LimitValue.of(100), ScopeScaling.unscaled(base).scale(0, 4000).fd());
        assertEquals(LimitValue.of(100),
                new ScopeScaling(base, BaseLimitIncrease.builder().fdFraction(1).build()).scale(64 * GIB, 0).fd());
    }

    @Test
    void anUnlimitedFdBudgetGivesUnlimitedWithFractionOne() {
        BaseLimit base = BaseLimit.builder().fd(100).build();

        assertEquals(LimitValue.unlimited(),
                new ScopeScaling(base, BaseLimitIncrease.builder().fdFraction(1).build()).scale(0, Long.MAX_VALUE)
                        .fd());
        LimitValue half = new ScopeScaling(base, BaseLimitIncrease.builder().fdFraction(0.5).build())
                .scale(0, Long.MAX_VALUE).fd();
        assertTrue(half instanceof LimitValue.Finite && half.capacity() > Long.MAX_VALUE / 4, half.toString());
    }

    @Test
    void anUnlimitedBaseFdStaysUnlimited() {
        BaseLimit base = BaseLimit.builder().fd(LimitValue.unlimited()).build();

        assertEquals(LimitValue.unlimited(),
                new ScopeScaling(base, BaseLimitIncrease.builder().fdFraction(0.5).build()).scale(0, 10).fd());
    }

    @Test
    void negativeArgumentsAreRejected() {
        ScopeScaling scaling = ScopeScaling.unscaled(BaseLimit.UNLIMITED);

        assertThrows(IllegalArgumentException.class, () -> scaling.scale(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> scaling.scale(0, -1));
    }

    @Test
    void nullsAreRejected() {
        assertEquals("base", assertThrows(NullPointerException.class,
                () -> new ScopeScaling(null, BaseLimitIncrease.NONE)).getMessage());
        assertEquals("increase", assertThrows(NullPointerException.class,
                () -> new ScopeScaling(BaseLimit.UNLIMITED, null)).getMessage());
    }
}
