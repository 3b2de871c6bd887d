package org.jrcmgr.impl.scope;

import java.util.Objects;
import org.jrcmgr.Reclaimer;
import org.jrcmgr.Reservation;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reservation its scope knows about: it sits in the scope's list while open, so that a scope
 * done before its reservations reclaims each one and tells its reclaimer. Its state and its place
 * in a list change only under the lock of the scope that holds it.
 *
 * <p>{@link #close()} and {@link #transferTo} also hold the reservation's own monitor, taken before
 * any scope lock: a transfer leaves one scope's list before it enters the other's (it never holds
 * two scope locks), and a close must not see it in between.
 */
final class TrackedReservation implements Reservation {

    private static final Logger LOG = LoggerFactory.getLogger(TrackedReservation.class);

    private final long size;
    private final Reclaimer reclaimer;
    private volatile Scope scope;
    private volatile State state = State.OPEN;
    TrackedReservation prev;
    TrackedReservation next;

    TrackedReservation(Scope scope, long size, Reclaimer reclaimer) {
        this.scope = scope;
        this.size = size;
        this.reclaimer = reclaimer;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ResourceScope scope() {
        return scope;
    }

    @Override
    public State state() {
        return state;
    }

    /** Called by the scope that is done, under its lock. */
    void markReclaimed() {
        state = State.RECLAIMED;
    }

    @Override
    public synchronized void close() {
        Scope holder = scope;
        synchronized (holder.lock) {
            switch (state) {
                case OPEN -> {
                    holder.unlinkAndRelease(this);
                    state = State.RELEASED;
                }
                case RELEASED -> throw new IllegalStateException("the reservation of " + size + " bytes in "
                        + holder.name() + " was already released");
                case RECLAIMED -> {
                    // The scope was done first and took the bytes back already.
                }
                default -> throw new AssertionError(state);
            }
        }
    }

    @Override
    public synchronized void transferTo(ResourceScope target, ReservationPriority priority) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(priority, "priority");
        Scope from = scope;
        if (!(target instanceof Scope to) || to.context != from.context) {
            throw new IllegalArgumentException("cannot transfer a reservation from " + from.name() + " to "
                    + target.name() + ": the target belongs to another resource manager");
        }
        if (to == from) {
            if (state != State.OPEN) {
                throw notOpen(from);
            }
            return;
        }
        // Reserve in the target first: a refusal leaves everything as it was.
        ResourceException refusal = to.reserveMemoryFor(size, priority, to, false, Scope.Holder.TRACKED);
        if (refusal != null) {
            throw refusal;
        }
        boolean moved;
        synchronized (from.lock) {
            moved = scope == from && state == State.OPEN;
            if (moved) {
                from.unlinkAndRelease(this);
            }
        }
        if (!moved) {
            // Never hold two scope locks at once: two opposite transfers would deadlock.
            synchronized (to.lock) {
                if (!to.closedForTracking()) {
                    to.releaseTrackedBytes(size);
                }
            }
            throw notOpen(from);
        }
        boolean reclaimNow;
        synchronized (to.lock) {
            // Done (or, for a span, its owner done) since the bytes were reserved: they were given back.
            reclaimNow = to.closedForTracking();
            if (reclaimNow) {
                // The target was done between the reservation and now; it gave the bytes back.
                state = State.RECLAIMED;
            } else {
                to.link(this);
            }
            scope = to;
        }
        if (reclaimNow) {
            reclaim(to.path());
            throw new ResourceScopeClosedException(to.name());
        }
    }

    private IllegalStateException notOpen(Scope holder) {
        return new IllegalStateException("cannot transfer the reservation of " + size + " bytes in " + holder.name()
                + ": it was already " + (state == State.RECLAIMED ? "reclaimed when its scope was done" : "released"));
    }

    private void reclaim(String path) {
        if (reclaimer == null) {
            return;
        }
        try {
            reclaimer.reclaim(this, path);
        } catch (RuntimeException e) {
            LOG.error("reclaiming a reservation of {} bytes in {} failed", size, path, e);
        }
    }

    /** Tells the reclaimers of a detached list; called outside every lock. */
    static void reclaimAll(TrackedReservation first, String path) {
        TrackedReservation r = first;
        while (r != null) {
            TrackedReservation following = r.next;
            r.prev = null;
            r.next = null;
            r.reclaim(path);
            r = following;
        }
    }

    @Override
    public String toString() {
        return "Reservation[" + size + " bytes in " + scope.name() + ", " + state + "]";
    }
}
