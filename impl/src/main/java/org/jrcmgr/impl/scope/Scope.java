package org.jrcmgr.impl.scope;

import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jrcmgr.Limit;
import org.jrcmgr.Reclaimer;
import org.jrcmgr.Reservation;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScopeLimiter;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.BaseLimit;

/**
 * What every scope shares: its counters, its lifecycle and the public memory operations.
 *
 * <p>Operations called on this scope itself (by its owner or its spans) hold {@link #lock} for
 * their whole course, so they are ordered with {@code done()} and with the attachment of the
 * scope. Lock order is always a scope before the scopes above it, which makes cycles impossible.
 * Operations that a child performs on this scope as one of its ancestors ("for child") do not take
 * the lock: they are single compare-and-set steps on the counters.
 */
abstract class Scope implements ResourceScopeLimiter, ObservedScope {

    private static final VarHandle REF_COUNT;

    static {
        try {
            REF_COUNT = MethodHandles.lookup().findVarHandle(Scope.class, "refCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Object lock = new Object();
    final Resources resources = new Resources();
    final ScopeContext context;
    /** Who is told of memory events: {@code context.memoryObserver()}, fixed for the manager's life. */
    private final ScopeObserver memoryObserver;
    private final String name;
    private final ScopeKind kind;
    private volatile Limit limit;
    private volatile boolean done;
    private volatile boolean shadow;
    @SuppressWarnings("unused") // updated through REF_COUNT
    private volatile int refCount;

    /** Memory reserved through this scope's own API, not through its spans; guarded by lock. */
    private long ownMemory;
    /** Memory reserved by this scope's spans, which counts here too; guarded by lock. */
    private long spanMemory;
    /** Memory held by open {@link TrackedReservation}s in this scope; guarded by lock. */
    private long trackedMemory;
    /** The open tracked reservations, a doubly linked list through the reservations; guarded by lock. */
    private TrackedReservation reservations;
    /** Spans begun on this scope, for their names; guarded by lock. */
    private int spans;
    /** The spans begun here and not done, linked through SpanScope.prevSibling/nextSibling; guarded by lock. */
    private SpanScope openSpans;
    /** Whether openSpans was handed over to reclaim their reservations; guarded by lock. */
    private boolean spansDetached;
    /**
     * Whether the last memory reservation here was refused by a scope above; written under lock,
     * read without it as a hint by {@link #refuseEarly}.
     */
    private boolean refusedAbove;

    Scope(ScopeContext context, String name, ScopeKind kind, Limit limit) {
        this.context = context;
        this.memoryObserver = context.memoryObserver();
        this.name = name;
        this.kind = kind;
        this.limit = Objects.requireNonNull(limit, () -> "limit of " + name);
    }

    @Override
    public final String name() {
        return name;
    }

    /** Where this scope hangs in the DAG, root first. */
    @Override
    public abstract String path();

    @Override
    public final ScopeKind kind() {
        return kind;
    }

    @Override
    public final Limit limit() {
        return limit;
    }

    /** Replaces the limit; usage is not re-checked, a lower limit only refuses what comes next. */
    @Override
    public void setLimit(Limit newLimit) {
        limit = Objects.requireNonNull(newLimit, "limit");
    }

    @Override
    public final void setShadow(boolean shadow) {
        this.shadow = shadow;
    }

    @Override
    public final boolean isShadow() {
        return shadow || context.shadowMode();
    }

    @Override
    public final ScopeStat stat() {
        return resources.stat();
    }

    final boolean isDoneInternal() {
        return done;
    }

    /** Marks the scope done; returns false if it already was. Call under lock. */
    final boolean markDone() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    final int refCount() {
        return refCount;
    }

    final void incRef() {
        REF_COUNT.getAndAdd(this, 1);
    }

    final void decRef() {
        int before = (int) REF_COUNT.getAndAdd(this, -1);
        if (before <= 0) {
            REF_COUNT.getAndAdd(this, 1);
            throw new IllegalStateException("reference count of " + name + " would go below zero");
        }
    }

    /** Whether the collector may close this scope: nothing refers to it and it holds no counts. */
    final boolean isUnused() {
        if (done) {
            return true;
        }
        // Beyond go-libp2p: open reservations keep a scope, since their memory is in use.
        return refCount == 0 && resources.holdsNoCounts() && !holdsReservations();
    }

    ScopeSnapshot snapshot() {
        return new ScopeSnapshot(name, path(), kind, BaseLimit.copyOf(limit), resources.stat(), resources.peak());
    }

    // ---- memory, as seen by the scope's users ----------------------------------------------

    @Override
    public final void reserveMemory(long size, ReservationPriority priority) {
        ResourceException refusal = reserveMemoryFor(checkSize(size), Objects.requireNonNull(priority, "priority"),
                this, false, Holder.OWN);
        reportMemoryOutcome(size, refusal);
        if (refusal != null) {
            throw refusal;
        }
    }

    @Override
    public final boolean tryReserveMemory(long size, ReservationPriority priority) {
        ResourceException refusal = reserveMemoryFor(checkSize(size), Objects.requireNonNull(priority, "priority"),
                this, true, Holder.OWN);
        reportMemoryOutcome(size, refusal);
        return refusal == null;
    }

    /** go-libp2p reports the outcome of every reservation asked of any scope or span. */
    private void reportMemoryOutcome(long size, ResourceException refusal) {
        ScopeObserver observer = memoryObserver;
        if (observer == ScopeObserver.NONE) {
            return;
        }
        if (refusal == null) {
            observer.memoryAllowed(size);
        } else {
            observer.memoryBlocked(size);
        }
    }

    @Override
    public final void releaseMemory(long size) {
        checkSize(size);
        synchronized (lock) {
            if (done) {
                return;
            }
            if (size > ownMemory) {
                throw new IllegalArgumentException("cannot release " + size + " bytes from " + name
                        + ": it holds " + ownMemory + " bytes reserved directly"
                        + (spanMemory > 0 ? " (and " + spanMemory + " held by its spans, which release their own)" : ""));
            }
            ownMemory -= size;
            release(size);
        }
    }

    @Override
    public final ResourceScopeSpan beginSpan() {
        synchronized (lock) {
            if (done) {
                throw new ResourceScopeClosedException(name);
            }
            incRef();
            SpanScope span = new SpanScope(context, this, ++spans);
            linkSpan(span);
            context.registerLive(span);
            observeCreated(span);
            return span;
        }
    }

    /** Who holds reserved bytes in a scope; each is released only by its holder. */
    enum Holder {
        /** The scope's users, through reserveMemory and releaseMemory. */
        OWN,
        /** A span of the scope. */
        SPAN,
        /** A tracked reservation. */
        TRACKED
    }

    /**
     * Reserves memory here and above on behalf of {@code holder}, whose bytes are kept apart so that
     * nobody releases what another holds.
     */
    final ResourceException reserveMemoryFor(long size, ReservationPriority priority, Scope requester,
                                             boolean quiet, Holder holder) {
        ResourceException early = refuseEarly(size, priority, requester, quiet);
        if (early != null) {
            return early;
        }
        synchronized (lock) {
            if (done) {
                return quiet ? Resources.QUIET_REFUSAL : new ResourceScopeClosedException(name);
            }
            ResourceException refusal = resources.addMemory(size, priority, limit, this, requester, quiet);
            if (refusal != null) {
                context.refusals().memory(this, null, refusal);
                return refusal;
            }
            refusal = reserveMemoryAbove(size, priority, requester, quiet);
            if (refusal != null) {
                resources.releaseMemory(size);
                refusedAbove = true;
                return refusal;
            }
            if (refusedAbove) {
                refusedAbove = false;
            }
            resources.notePeakMemory();
            observeReserved(size, priority);
            switch (holder) {
                case OWN -> ownMemory += size;
                case SPAN -> spanMemory += size;
                case TRACKED -> trackedMemory += size;
                default -> throw new AssertionError(holder);
            }
            return null;
        }
    }

    /**
     * A refusal decided from reads alone, before taking the lock: this scope's own counter, and
     * after a refusal from above (at the limit, the next reservation is likely refused too) the
     * counters of the edges. A refusal changes no counter anywhere, so it needs no lock and no
     * compare-and-set: the reads are the decision, and a refusal costs less than a success instead
     * of reserving here and in the edges before the refusing one and rolling them back. Returns null
     * to reserve the usual way: when everything seems to fit, or a scope is done or in shadow mode
     * (the usual way reports and records those exactly as before).
     */
    private ResourceException refuseEarly(long size, ReservationPriority priority, Scope requester, boolean quiet) {
        if (done) {
            return null;
        }
        long held = resources.memory();
        Limit own = limit;
        if (!Resources.memoryFits(held, size, priority, own)) {
            if (isShadow()) {
                return null;
            }
            ResourceException refusal = Resources.refuseMemory(held, size, priority, own, this, requester, quiet);
            context.refusals().memory(this, null, refusal);
            return refusal;
        }
        // A hint, read without the lock it is written under: a stale value only costs a few reads.
        return refusedAbove ? refuseAboveEarly(size, priority, requester, quiet) : null;
    }

    /**
     * The refusal an edge above would give now, decided from reads as {@link #refuseEarly} is, or
     * null; a span has none of its own (its owner decides for itself).
     */
    ResourceException refuseAboveEarly(long size, ReservationPriority priority, Scope requester, boolean quiet) {
        return null;
    }

    /** A span of this scope gives back {@code size} bytes it reserved through it. */
    final void releaseFromSpan(long size) {
        synchronized (lock) {
            if (done) {
                return;
            }
            spanMemory -= size;
            release(size);
        }
    }

    private void release(long size) {
        long released = resources.releaseMemory(size);
        observeReleased(released);
        releaseMemoryAbove(released);
    }

    // ---- observation -------------------------------------------------------------------------

    final void observeReserved(long size, ReservationPriority priority) {
        ScopeObserver observer = memoryObserver;
        if (observer != ScopeObserver.NONE && size > 0) {
            observer.memoryReserved(this, size, priority, resources.memory());
        }
    }

    final void observeReleased(long size) {
        ScopeObserver observer = memoryObserver;
        if (observer != ScopeObserver.NONE && size > 0) {
            observer.memoryReleased(this, size, resources.memory());
        }
    }

    final void observeCreated(Scope scope) {
        ScopeObserver observer = context.observer();
        if (observer != ScopeObserver.NONE) {
            observer.scopeCreated(scope);
        }
    }

    final void observeDestroyed() {
        ScopeObserver observer = context.observer();
        if (observer != ScopeObserver.NONE) {
            observer.scopeDestroyed(this);
        }
    }

    // ---- tracked reservations ----------------------------------------------------------------

    @Override
    public final Reservation reserve(long size, ReservationPriority priority, Reclaimer onReclaim) {
        checkSize(size);
        Objects.requireNonNull(priority, "priority");
        synchronized (lock) {
            ResourceException refusal = reserveMemoryFor(size, priority, this, false, Holder.TRACKED);
            reportMemoryOutcome(size, refusal);
            if (refusal != null) {
                throw refusal;
            }
            TrackedReservation reservation = new TrackedReservation(this, size, onReclaim);
            link(reservation);
            return reservation;
        }
    }

    /** Adds a reservation whose bytes are already counted in trackedMemory. Call under lock. */
    final void link(TrackedReservation r) {
        r.next = reservations;
        if (reservations != null) {
            reservations.prev = r;
        }
        reservations = r;
    }

    /** Removes an open reservation and gives its bytes back. Call under lock, while not done. */
    final void unlinkAndRelease(TrackedReservation r) {
        if (r.prev != null) {
            r.prev.next = r.next;
        } else {
            reservations = r.next;
        }
        if (r.next != null) {
            r.next.prev = r.prev;
        }
        r.prev = null;
        r.next = null;
        releaseTrackedBytes(r.size());
    }

    /** Gives back bytes reserved for a reservation that was never linked here. Call under lock. */
    final void releaseTrackedBytes(long size) {
        trackedMemory -= size;
        release(size);
    }

    /** Whether open reservations keep the scope alive: their owners are still using the memory. */
    final boolean holdsReservations() {
        synchronized (lock) {
            return reservations != null;
        }
    }

    /**
     * Reclaims the open reservations of a scope that is not done but whose bytes its owner already
     * gave back (a span of a scope that is done): they leave its books and are marked reclaimed;
     * the caller tells the reclaimers once it has let go of the lock. Call under lock.
     */
    final TrackedReservation reclaimTracked() {
        TrackedReservation detached = reservations;
        reservations = null;
        long bytes = trackedMemory;
        trackedMemory = 0;
        if (bytes > 0) {
            release(bytes);
        }
        for (TrackedReservation r = detached; r != null; r = r.next) {
            r.markReclaimed();
        }
        return detached;
    }

    /**
     * Whether a reservation may still be linked here. Call under lock. A span overrides it: once its
     * owner is done, it takes no reservations even though it is not done itself.
     */
    boolean closedForTracking() {
        return done;
    }

    // ---- open spans, whose reservations are reclaimed when this scope is done -------------------

    /** Call under lock. */
    private void linkSpan(SpanScope span) {
        if (spansDetached) {
            return; // its reservations could only come through this scope, which takes none any more
        }
        span.nextSibling = openSpans;
        if (openSpans != null) {
            openSpans.prevSibling = span;
        }
        openSpans = span;
    }

    /** A span is done: it leaves the list, unless the list was already handed over. */
    final void unlinkSpan(SpanScope span) {
        synchronized (lock) {
            if (spansDetached) {
                return;
            }
            if (span.prevSibling != null) {
                span.prevSibling.nextSibling = span.nextSibling;
            } else if (openSpans == span) {
                openSpans = span.nextSibling;
            }
            if (span.nextSibling != null) {
                span.nextSibling.prevSibling = span.prevSibling;
            }
            span.prevSibling = null;
            span.nextSibling = null;
        }
    }

    /** Whether closing this scope now would reclaim reservations or spans. Call under lock. */
    final boolean holdsReclaimables() {
        return reservations != null || openSpans != null;
    }

    /**
     * Hands over the open spans, whose reservations the caller reclaims once it has let go of the
     * lock ({@link SpanScope#reclaimWithOwner}): this scope gave back their bytes. Call under lock.
     */
    final SpanScope detachSpans() {
        spansDetached = true;
        SpanScope first = openSpans;
        openSpans = null;
        return first;
    }

    /**
     * Marks every open reservation reclaimed and forgets it, along with all memory bookkeeping; the
     * caller is closing the scope under its lock and tells the reclaimers once it has let go.
     */
    final TrackedReservation forgetMemory() {
        ownMemory = 0;
        spanMemory = 0;
        trackedMemory = 0;
        TrackedReservation detached = reservations;
        reservations = null;
        for (TrackedReservation r = detached; r != null; r = r.next) {
            r.markReclaimed();
        }
        return detached;
    }

    /** Carries a memory reservation to the scopes above; on refusal nothing is left reserved there. */
    abstract ResourceException reserveMemoryAbove(long size, ReservationPriority priority, Scope requester,
                                                  boolean quiet);

    /** Carries a memory release to the scopes above. */
    abstract void releaseMemoryAbove(long size);

    static long checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("memory size must not be negative, got " + size);
        }
        return size;
    }

    @Override
    public String toString() {
        return name;
    }
}
