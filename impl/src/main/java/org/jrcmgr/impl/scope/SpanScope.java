package org.jrcmgr.impl.scope;

import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ScopeKind;

/**
 * A span: a child of one scope (its owner) that forwards every reservation to the owner's own
 * logic. Spans form a tree, not a DAG. When the owner is done first, the span becomes a zombie: it
 * refuses new reservations and its releases do nothing, because the owner already gave back
 * everything, the span's share included.
 */
final class SpanScope extends Scope implements ResourceScopeSpan {

    private final Scope owner;

    SpanScope(ScopeContext context, Scope owner, int id) {
        super(context, owner.name() + ".span-" + id, ScopeKind.SPAN, owner.limit());
        this.owner = owner;
    }

    @Override
    String path() {
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
        String path;
        synchronized (lock) {
            if (!markDone()) {
                return;
            }
            path = path();
            long held = resources.memory();
            resources.clear();
            reclaimed = forgetMemory();
            owner.releaseFromSpan(held);
            owner.decRef();
        }
        context.unregisterLive(this);
        TrackedReservation.reclaimAll(reclaimed, path);
    }

    @Override
    public boolean isDone() {
        return isDoneInternal();
    }
}
