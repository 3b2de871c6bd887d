package org.jrcmgr.impl.scope;

import org.jrcmgr.impl.observe.ScopeObserver;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jrcmgr.Direction;
import org.jrcmgr.Limit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ScopeStat;

/**
 * The counters of one scope and the check-and-apply of each resource against its limit.
 *
 * <p>Each counter is updated by compare-and-set, so a check and its increment are one atomic step
 * and concurrent reservations through a shared ancestor never lock each other out. Streams and
 * connections keep their two directions in one {@code long} (inbound in the high half) so that the
 * per-direction and total limits are checked against one consistent pair. Every add either applies
 * in full or changes nothing and returns the refusal.
 */
final class Resources {

    /** What a quiet (boolean-returning) caller gets instead of a detailed refusal: no allocation. */
    static final ResourceException QUIET_REFUSAL = new ResourceException("refused") {
        private static final long serialVersionUID = 1L;
    };

    private static final VarHandle MEMORY;
    private static final VarHandle STREAMS;
    private static final VarHandle CONNS;
    private static final VarHandle FD;
    private static final VarHandle PEAK_MEMORY;
    private static final VarHandle PEAK_STREAMS_IN;
    private static final VarHandle PEAK_STREAMS_OUT;
    private static final VarHandle PEAK_CONNS_IN;
    private static final VarHandle PEAK_CONNS_OUT;
    private static final VarHandle PEAK_FD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MEMORY = l.findVarHandle(Resources.class, "memory", long.class);
            STREAMS = l.findVarHandle(Resources.class, "streams", long.class);
            CONNS = l.findVarHandle(Resources.class, "conns", long.class);
            FD = l.findVarHandle(Resources.class, "fd", long.class);
            PEAK_MEMORY = l.findVarHandle(Resources.class, "peakMemory", long.class);
            PEAK_STREAMS_IN = l.findVarHandle(Resources.class, "peakStreamsIn", long.class);
            PEAK_STREAMS_OUT = l.findVarHandle(Resources.class, "peakStreamsOut", long.class);
            PEAK_CONNS_IN = l.findVarHandle(Resources.class, "peakConnsIn", long.class);
            PEAK_CONNS_OUT = l.findVarHandle(Resources.class, "peakConnsOut", long.class);
            PEAK_FD = l.findVarHandle(Resources.class, "peakFd", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long HALF = 0xFFFF_FFFFL;

    private volatile long memory;
    private volatile long streams;
    private volatile long conns;
    private volatile long fd;

    private volatile long peakMemory;
    private volatile long peakStreamsIn;
    private volatile long peakStreamsOut;
    private volatile long peakConnsIn;
    private volatile long peakConnsOut;
    private volatile long peakFd;

    static long inbound(long packed) {
        return packed >>> 32;
    }

    static long outbound(long packed) {
        return packed & HALF;
    }

    private static long pack(long in, long out) {
        return (in << 32) | out;
    }

    long memory() {
        return memory;
    }

    /** The packed inbound/outbound stream counts; read with {@link #inbound} and {@link #outbound}. */
    long streamsPacked() {
        return streams;
    }

    /** The packed inbound/outbound connection counts. */
    long connsPacked() {
        return conns;
    }

    long fd() {
        return fd;
    }

    ScopeStat stat() {
        long s = streams;
        long c = conns;
        return new ScopeStat(inbound(s), outbound(s), inbound(c), outbound(c), fd, memory);
    }

    ScopeStat peak() {
        return new ScopeStat(peakStreamsIn, peakStreamsOut, peakConnsIn, peakConnsOut, peakFd, peakMemory);
    }

    boolean holdsNoCounts() {
        return streams == 0 && conns == 0 && fd == 0;
    }

    /**
     * Reserves {@code size} bytes if the usage after it stays within the priority's share of the
     * limit. Returns null on success, else the refusal naming {@code owner} as the refusing scope.
     */
    ResourceException addMemory(long size, ReservationPriority priority, Limit limit, Scope owner, Scope requester,
                                boolean quiet) {
        LimitValue value = limit.memory();
        for (;;) {
            long current = memory;
            long next = current + size;
            boolean overflows = next < current;
            boolean fits = !overflows && (value.isUnlimited() || priority.admits(current, size, value.capacity()));
            if (!fits) {
                ResourceException refusal = refuse(owner, requester, Resource.MEMORY, current, size, value, priority,
                        quiet, !overflows);
                if (refusal != null) {
                    return refusal;
                }
            }
            if (MEMORY.compareAndSet(this, current, next)) {
                return null;
            }
        }
    }

    /** Whether {@link #addMemory} admits {@code size} bytes on top of {@code current}. */
    static boolean memoryFits(long current, long size, ReservationPriority priority, Limit limit) {
        LimitValue value = limit.memory();
        long next = current + size;
        return next >= current && (value.isUnlimited() || priority.admits(current, size, value.capacity()));
    }

    /**
     * The refusal {@link #addMemory} returns when {@code current} bytes are held and
     * {@code size} more do not fit, recorded as addMemory records it, without trying. For an owner
     * seen not to be in shadow mode: should it be switched on meanwhile, this refusal still stands
     * (it came first).
     */
    static ResourceException refuseMemory(long current, long size, ReservationPriority priority, Limit limit,
                                          Scope owner, Scope requester, boolean quiet) {
        return refuse(owner, requester, Resource.MEMORY, current, size, limit.memory(), priority, quiet, false);
    }

    /** Releases up to {@code size} bytes and returns how many were held and released. */
    long releaseMemory(long size) {
        for (;;) {
            long current = memory;
            long released = Math.min(current, size);
            if (MEMORY.compareAndSet(this, current, current - released)) {
                return released;
            }
        }
    }

    /** Adds {@code in} inbound and {@code out} outbound streams, checking as go-libp2p's addStreams does. */
    ResourceException addStreams(long in, long out, Limit limit, Scope owner, Scope requester, boolean quiet) {
        return addPair(STREAMS, in, out, limit.streams(Direction.INBOUND), limit.streams(Direction.OUTBOUND),
                limit.streamsTotal(), Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND, Resource.STREAMS, owner,
                requester, quiet);
    }

    /** Removes streams the scope holds; the caller guarantees they were added. */
    void removeStreams(long in, long out) {
        removePair(STREAMS, in, out, "stream");
    }

    /**
     * Adds connections and, for those holding one, file descriptors. The connection counts and the
     * descriptors are two counters: when the descriptors are refused the connection counts are put
     * back, so the whole add still applies in full or not at all.
     */
    ResourceException addConns(long in, long out, long fds, Limit limit, Scope owner, Scope requester,
                               boolean quiet) {
        ResourceException refusal = addPair(CONNS, in, out, limit.conns(Direction.INBOUND),
                limit.conns(Direction.OUTBOUND), limit.connsTotal(), Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND,
                Resource.CONNS, owner, requester, quiet);
        if (refusal != null) {
            return refusal;
        }
        if (fds > 0) {
            LimitValue value = limit.fd();
            for (;;) {
                long current = fd;
                if (!fits(current, fds, value)) {
                    ResourceException fdRefusal = refuse(owner, requester, Resource.FD, current, fds, value,
                            ReservationPriority.ALWAYS, quiet, true);
                    if (fdRefusal != null) {
                        removeConns(in, out, 0);
                        return fdRefusal;
                    }
                }
                if (FD.compareAndSet(this, current, current + fds)) {
                    break;
                }
            }
        }
        return null;
    }

    /**
     * Adds to a packed inbound/outbound pair: each direction is checked only when it grows, then
     * the total, as go-libp2p does; the pair is then swapped in with one compare-and-set.
     */
    private ResourceException addPair(VarHandle pair, long in, long out, LimitValue inLimit, LimitValue outLimit,
                                      LimitValue totalLimit, Resource inResource, Resource outResource,
                                      Resource totalResource, Scope owner, Scope requester, boolean quiet) {
        for (;;) {
            long current = (long) pair.getVolatile(this);
            long curIn = inbound(current);
            long curOut = outbound(current);
            Resource refused = null;
            long held = 0;
            long asked = 0;
            LimitValue value = null;
            if (in > 0 && !fits(curIn, in, inLimit)) {
                refused = inResource;
                held = curIn;
                asked = in;
                value = inLimit;
            } else if (out > 0 && !fits(curOut, out, outLimit)) {
                refused = outResource;
                held = curOut;
                asked = out;
                value = outLimit;
            } else if (!fits(curIn + curOut, in + out, totalLimit)) {
                refused = totalResource;
                held = curIn + curOut;
                asked = in + out;
                value = totalLimit;
            }
            boolean overflows = curIn + in > HALF || curOut + out > HALF;
            if (overflows) {
                // Beyond 2^32 in one direction the packed halves would overflow: refuse rather than corrupt.
                refused = in > 0 ? inResource : outResource;
                held = in > 0 ? curIn : curOut;
                asked = in > 0 ? in : out;
                value = LimitValue.of(HALF);
            }
            if (refused != null) {
                ResourceException refusal = refuse(owner, requester, refused, held, asked, value,
                        ReservationPriority.ALWAYS, quiet, !overflows);
                if (refusal != null) {
                    return refusal;
                }
            }
            if (pair.compareAndSet(this, current, pack(curIn + in, curOut + out))) {
                return null;
            }
        }
    }

    /** Removes from a packed pair what the caller added earlier. */
    private void removePair(VarHandle pair, long in, long out, String what) {
        for (;;) {
            long current = (long) pair.getVolatile(this);
            if (inbound(current) < in || outbound(current) < out) {
                throw new IllegalStateException(what + " accounting broken: removing " + in + "/" + out + " from "
                        + inbound(current) + "/" + outbound(current));
            }
            if (pair.compareAndSet(this, current, pack(inbound(current) - in, outbound(current) - out))) {
                return;
            }
        }
    }

    /** Removes connections and descriptors the scope holds; the caller guarantees they were added. */
    void removeConns(long in, long out, long fds) {
        removePair(CONNS, in, out, "connection");
        if (fds > 0) {
            long before = (long) FD.getAndAdd(this, -fds);
            if (before < fds) {
                throw new IllegalStateException("file descriptor accounting broken: removing " + fds + " from "
                        + before);
            }
        }
    }

    /**
     * Adds everything in {@code stat} at once, memory at priority ALWAYS (a transfer moves what is
     * already held; it does not compete for the share of new reservations). All or nothing.
     */
    ResourceException addAll(ScopeStat stat, Limit limit, Scope owner, Scope requester) {
        ResourceException refusal = addMemory(stat.memory(), ReservationPriority.ALWAYS, limit, owner, requester,
                false);
        if (refusal != null) {
            return refusal;
        }
        refusal = addStreams(stat.streamsInbound(), stat.streamsOutbound(), limit, owner, requester, false);
        if (refusal != null) {
            releaseMemory(stat.memory());
            return refusal;
        }
        refusal = addConns(stat.connsInbound(), stat.connsOutbound(), stat.fd(), limit, owner, requester, false);
        if (refusal != null) {
            removeStreams(stat.streamsInbound(), stat.streamsOutbound());
            releaseMemory(stat.memory());
            return refusal;
        }
        return null;
    }

    /** Removes everything in {@code stat}, which the caller added earlier. */
    void removeAll(ScopeStat stat) {
        releaseMemory(stat.memory());
        removeStreams(stat.streamsInbound(), stat.streamsOutbound());
        removeConns(stat.connsInbound(), stat.connsOutbound(), stat.fd());
    }

    /** Zeroes the counters; used when a scope is done and has handed everything back. */
    void clear() {
        memory = 0;
        streams = 0;
        conns = 0;
        fd = 0;
    }

    /**
     * Raises the memory peak to the current usage. Called once a reservation has been admitted
     * everywhere, so that a reservation refused further up never shows as a peak.
     */
    void notePeakMemory() {
        raise(PEAK_MEMORY, memory);
    }

    /** Raises every peak to the current usage; see {@link #notePeakMemory()}. */
    void notePeaks() {
        long s = streams;
        long c = conns;
        raise(PEAK_STREAMS_IN, inbound(s));
        raise(PEAK_STREAMS_OUT, outbound(s));
        raise(PEAK_CONNS_IN, inbound(c));
        raise(PEAK_CONNS_OUT, outbound(c));
        raise(PEAK_FD, fd);
        raise(PEAK_MEMORY, memory);
    }

    /**
     * A limit would be exceeded: records it, and returns null when the scope is in shadow mode and
     * the limit may be passed (an overflow of our counters never may), else the refusal.
     */
    private static ResourceException refuse(Scope owner, Scope requester, Resource resource, long held, long asked,
                                            LimitValue limit, ReservationPriority priority, boolean quiet,
                                            boolean shadowable) {
        boolean shadow = shadowable && owner.isShadow();
        owner.context.recorder().record(requester, owner, resource, held, asked, limit, priority, shadow);
        ScopeObserver observer = owner.context.observer();
        if (observer != ScopeObserver.NONE) {
            observer.refused(requester, owner, resource, held, asked, limit, priority, shadow);
        }
        if (shadow) {
            return null;
        }
        return quiet ? QUIET_REFUSAL : new ResourceLimitExceededException(requester.path(), owner.name(), resource,
                held, asked, limit, priority);
    }

    private static boolean fits(long current, long delta, LimitValue limit) {
        return limit.isUnlimited() || current + delta <= limit.capacity();
    }

    private void raise(VarHandle peak, long value) {
        long seen = (long) peak.getOpaque(this);
        while (value > seen) {
            if (peak.weakCompareAndSet(this, seen, value)) {
                return;
            }
            seen = (long) peak.getOpaque(this);
        }
    }
}
