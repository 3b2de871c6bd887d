package org.jrcmgr.impl.scope;

import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ScopeKind;

/**
 * A span: a child of one scope (its owner) that forwards every reservation to the owner's own
 * logic. Spans form a tree, not a DAG. When the owner is done first, the span becomes a zombie: it
 * refuses new reservations and its releases do nothing, because the owner already gave back
 * everything, the span's share included. For the same reason its open {@link TrackedReservation}s
 * (and those of its own spans) are reclaimed then, as if the span were done.
 */
final class SpanScope extends Scope implements ResourceScopeSpan {

    private final Scope owner;
    /** Neighbours in the owner's list of open spans; guarded by the owner's lock. */
    SpanScope prevSibling;
    SpanScope nextSibling;
    /** Set when the owner was done and this span's reservations were reclaimed with it; guarded by lock. */
    private boolean ownerDone;

    SpanScope(ScopeContext context, Scope owner, int id) {
        super(context, owner.name() + ".span-" + id, ScopeKind.SPAN, owner.limit());
        this.owner = owner;
    }

    @Override
    public String path() {
        return owner.path() + " > " + name();
    }

    @Override
    ResourceException reserveMemoryAbove(long size, ReservationPriority priority, Scope requester, boolean quiet) {
        return owner.reserveMemoryFor(size, priority, requester, quiet, Holder.SPAN);
    }

    @Override
    void releaseMemoryAbove(long size) {
        owner.releaseFromSpan(size);
    }

    @Override
    public void done() {
        TrackedReservation reclaimed;
        SpanScope spans;
        String path;
        synchronized (lock) {
            if (!markDone()) {
                return;
            }
            path = path();
            long held = resources.memory();
            resources.clear();
            reclaimed = forgetMemory();
            spans = detachSpans();
            owner.releaseFromSpan(held);
            owner.unlinkSpan(this);
            owner.decRef();
            observeDestroyed();
        }
        context.unregisterLive(this);
        TrackedReservation.reclaimAll(reclaimed, path);
        reclaimWithOwner(spans, path);
    }

    @Override
    boolean closedForTracking() {
        return isDoneInternal() || ownerDone;
    }

    /**
     * The owner of these spans is done and gave back everything they held, so their reservations
     * (and those of their own spans) are reclaimed now, each reported under its span's path. The
     * spans themselves stay zombies, as before. Called outside every lock.
     */
    static void reclaimWithOwner(SpanScope first, String ownerPath) {
        SpanScope span = first;
        while (span != null) {
            // The owner handed the list over under its lock and is done: nobody else touches these links.
            SpanScope following = span.nextSibling;
            span.prevSibling = null;
            span.nextSibling = null;
            span.ownerDone(ownerPath);
            span = following;
        }
    }

    private void ownerDone(String ownerPath) {
        String path = ownerPath + " > " + name();
        TrackedReservation reclaimed;
        SpanScope spans;
        synchronized (lock) {
            if (isDoneInternal() || ownerDone) {
                return;
            }
            ownerDone = true;
            reclaimed = reclaimTracked();
            spans = detachSpans();
        }
        TrackedReservation.reclaimAll(reclaimed, path);
        reclaimWithOwner(spans, path);
    }

    /** Done itself, or a zombie: its owner (or an owner further up) is done. */
    @Override
    public boolean isDone() {
        return isDoneInternal() || (owner instanceof SpanScope span ? span.isDone() : owner.isDoneInternal());
    }
}
