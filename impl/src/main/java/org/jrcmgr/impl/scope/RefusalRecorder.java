package org.jrcmgr.impl.scope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Refusal;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;

/**
 * Counts every refusal, real or in shadow mode, and keeps the most recent ones in a ring.
 *
 * <p>A refusal is an expected answer on a hot path, so recording one allocates nothing: the ring's
 * slots are made once and overwritten; the {@link Refusal} records, the scope paths and the
 * timestamps are built only when someone reads the ring.
 */
final class RefusalRecorder {

    /** How many refusals the ring keeps by default. */
    static final int DEFAULT_CAPACITY = 256;

    private final Slot[] ring;
    private final AtomicLongArray counts = new AtomicLongArray(Resource.values().length * 2);
    private long written; // guarded by this

    RefusalRecorder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the refusal ring needs at least one slot, got " + capacity);
        }
        ring = new Slot[capacity];
        for (int i = 0; i < capacity; i++) {
            ring[i] = new Slot();
        }
    }

    void record(Scope requester, Scope refusing, Resource resource, long current, long requested, LimitValue limit,
                ReservationPriority priority, boolean shadow) {
        counts.incrementAndGet(resource.ordinal() * 2 + (shadow ? 1 : 0));
        long now = System.currentTimeMillis();
        synchronized (this) {
            Slot slot = ring[(int) (written++ % ring.length)];
            slot.millis = now;
            slot.requester = requester;
            slot.refusing = refusing.name();
            slot.resource = resource;
            slot.current = current;
            slot.requested = requested;
            slot.limit = limit;
            slot.priority = priority;
            slot.shadow = shadow;
        }
    }

    /** How many refusals of {@code resource} happened, real or shadow. */
    long count(Resource resource, boolean shadow) {
        return counts.get(resource.ordinal() * 2 + (shadow ? 1 : 0));
    }

    /** The refusals in the ring, oldest first. */
    List<Refusal> recent() {
        synchronized (this) {
            int size = (int) Math.min(written, ring.length);
            List<Refusal> out = new ArrayList<>(size);
            for (long i = written - size; i < written; i++) {
                Slot s = ring[(int) (i % ring.length)];
                out.add(new Refusal(Instant.ofEpochMilli(s.millis), s.requester.path(), s.refusing, s.resource,
                        s.current, s.requested, s.limit, s.priority, s.shadow));
            }
            return out;
        }
    }

    /** One refusal, overwritten in place. */
    private static final class Slot {
        long millis;
        Scope requester;
        String refusing;
        Resource resource;
        long current;
        long requested;
        LimitValue limit;
        ReservationPriority priority;
        boolean shadow;
    }
}
