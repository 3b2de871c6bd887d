package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimitValueTest {

    @Test
    void zeroIsBlockAll() {
        assertSame(LimitValue.blockAll(), LimitValue.of(0));
        assertEquals(0, LimitValue.of(0).capacity());
        assertFalse(LimitValue.of(0).isUnlimited());
        assertEquals("blockAll", LimitValue.of(0).toString());
    }

    @Test
    void maxLongIsUnlimited() {
        assertSame(LimitValue.unlimited(), LimitValue.of(Long.MAX_VALUE));
        assertTrue(LimitValue.of(Long.MAX_VALUE).isUnlimited());
        assertEquals(Long.MAX_VALUE, LimitValue.unlimited().capacity());
        assertEquals("unlimited", LimitValue.unlimited().toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 4096, Long.MAX_VALUE - 1})
    void otherValuesAreFinite(long n) {
        LimitValue value = LimitValue.of(n);
        assertInstanceOf(LimitValue.Finite.class, value);
        assertEquals(n, value.capacity());
        assertFalse(value.isUnlimited());
        assertEquals(Long.toString(n), value.toString());
        assertEquals(new LimitValue.Finite(n), value);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -4096, Long.MIN_VALUE})
    void negativeIsRejectedWithAMessage(long n) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LimitValue.of(n));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(n)), e.getMessage());
        assertTrue(e.getMessage().contains("LimitValue.unlimited()"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE})
    void finiteRejectsWhatIsNotFinite(long n) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LimitValue.Finite(n));
        assertTrue(e.getMessage().contains(Long.toString(n)), e.getMessage());
    }
}
