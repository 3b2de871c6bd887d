package org.jrcmgr.impl.net.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A hand-moved nanosecond clock, so that rate tests never sleep. Starts far from zero on purpose. */
final class FakeClock implements LongSupplier {

    private long now = 123_456_789_000L;

    @Override
    public long getAsLong() {
        return now;
    }

    void advance(Duration d) {
        now += d.toNanos();
    }

    void advanceSeconds(double seconds) {
        now += (long) (seconds * 1e9);
    }
}
