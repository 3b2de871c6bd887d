package org.jrcmgr.offheap;

import org.jrcmgr.NullResourceManager;
import org.jrcmgr.ReservationPriority;

/**
 * Run in a fresh JVM by {@link ChronicleStartupTest}: starts chronicle the way this module uses it
 * and prints {@code ok}. Anything else it prints is chronicle (or the JVM) complaining.
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    /** Allocates, uses both views, frees. */
    public static void main(String[] args) {
        OffHeap offHeap = OffHeap.create();
        NullResourceManager.INSTANCE.viewSystem(system -> {
            try (NativeBuffer buffer = offHeap.allocate(system, 4096, ReservationPriority.ALWAYS)) {
                buffer.byteBuffer().putLong(0, 42);
                if (buffer.bytes().readLong(8) == Long.MIN_VALUE) {
                    System.out.print("");
                }
            }
            return null;
        });
        long used = OffHeap.chronicleNativeMemoryUsed();
        System.out.println(offHeap.stats().balanced() ? "ok " + used : "unbalanced " + offHeap.stats());
    }
}
