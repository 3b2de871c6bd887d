package org.jrcmgr;

import java.io.Serial;
import java.io.Serializable;

/**
 * How much of a memory limit a reservation may use, as in go-libp2p: a reservation at priority
 * {@code p} succeeds in a scope only if, after it, the scope's usage is at most
 * {@code floor(limit * (p + 1) / 256)}.
 *
 * <p>The named priorities admit up to about 40% ({@link #LOW}), 60% ({@link #MEDIUM}), 80%
 * ({@link #HIGH}) and 100% ({@link #ALWAYS}) of the limit; any value from 0 to 255 is valid.
 * Instances are interned: {@link #of(int)} never allocates.
 *
 * @param value the priority, 0 to 255
 */
public record ReservationPriority(int value) implements Serializable {

    private static final ReservationPriority[] CACHE = new ReservationPriority[256];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new ReservationPriority(i);
        }
    }

    /** Admits up to about 40% of a limit (101). */
    public static final ReservationPriority LOW = CACHE[101];
    /** Admits up to about 60% of a limit (152). */
    public static final ReservationPriority MEDIUM = CACHE[152];
    /** Admits up to about 80% of a limit (203). */
    public static final ReservationPriority HIGH = CACHE[203];
    /** Admits up to the whole limit (255). */
    public static final ReservationPriority ALWAYS = CACHE[255];

    /**
     * @throws IllegalArgumentException if {@code value} is outside 0..255
     */
    public ReservationPriority {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("reservation priority must be within 0..255, got " + value);
        }
    }

    /** The interned priority for {@code value} (0 to 255). */
    public static ReservationPriority of(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("reservation priority must be within 0..255, got " + value);
        }
        return CACHE[value];
    }

    /**
     * The highest usage this priority admits under {@code limit}: {@code floor(limit * (value + 1) / 256)},
     * computed exactly for any non-negative limit, without overflow.
     */
    public long threshold(long limit) {
        if (limit <= 0) {
            return 0;
        }
        long factor = value + 1L;
        // limit = q*256 + r, so limit*f/256 = q*f + r*f/256 exactly, and neither term overflows.
        return (limit >>> 8) * factor + ((limit & 0xFF) * factor >>> 8);
    }

    /**
     * Whether a reservation of {@code requested} bytes on top of {@code current} fits under
     * {@code limit} at this priority. Overflow of {@code current + requested} is a refusal.
     */
    public boolean admits(long current, long requested, long limit) {
        long after = current + requested;
        if (((current ^ after) & (requested ^ after)) < 0) {
            return false;
        }
        return after <= threshold(limit);
    }

    /** Deserialisation keeps priorities interned. */
    @Serial
    private Object readResolve() {
        return of(value);
    }

    @Override
    public String toString() {
        return switch (value) {
            case 101 -> "LOW(101)";
            case 152 -> "MEDIUM(152)";
            case 203 -> "HIGH(203)";
            case 255 -> "ALWAYS(255)";
            default -> Integer.toString(value);
        };
    }
}
