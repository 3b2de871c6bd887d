package org.jrcmgr.impl.scope;

import static org.jrcmgr.impl.scope.TestScopes.assertStat;
import static org.jrcmgr.impl.scope.TestScopes.books;
import static org.jrcmgr.impl.scope.TestScopes.connsIn;
import static org.jrcmgr.impl.scope.TestScopes.connsInWithFd;
import static org.jrcmgr.impl.scope.TestScopes.connsOut;
import static org.jrcmgr.impl.scope.TestScopes.limit;
import static org.jrcmgr.impl.scope.TestScopes.memory;
import static org.jrcmgr.impl.scope.TestScopes.memoryOnly;
import static org.jrcmgr.impl.scope.TestScopes.scope;
import static org.jrcmgr.impl.scope.TestScopes.streamsIn;
import static org.jrcmgr.impl.scope.TestScopes.streamsOut;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Direction;
import org.jrcmgr.Limit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.scope.TestScopes.Context;
import org.jrcmgr.impl.scope.TestScopes.Dag;
import org.junit.jupiter.api.Test;

/**
 * A port of go-libp2p's {@code p2p/host/resource-manager/scope_test.go}: the same scenarios and
 * numbers, asserted on our scopes. On top of what go checks, every refusal is checked to leave
 * every counter of every scope involved as it was, and a few refusals are checked field by field.
 */
class ScopeTest {

    private static final ReservationPriority ALWAYS = ReservationPriority.ALWAYS;
    private static final ReservationPriority LOW = ReservationPriority.LOW;
    private static final ReservationPriority MEDIUM = ReservationPriority.MEDIUM;
    private static final ReservationPriority HIGH = ReservationPriority.HIGH;

    /** go's {@code BaseLimit{Memory: 4096, everything else: 1}}, used by most single-scope tests. */
    private static final BaseLimit SMALL = limit(4096, 1);

    private final Context context = new Context();

    // ---- helpers ------------------------------------------------------------------------------

    /** Reserves through the public API; the refusal, or null. */
    private static ResourceException reserve(Scope scope, long size, ReservationPriority priority) {
        try {
            scope.reserveMemory(size, priority);
            return null;
        } catch (ResourceException e) {
            return e;
        }
    }

    /** Runs {@code op}, which must succeed. */
    private static void admitted(Supplier<ResourceException> op) {
        ResourceException refusal = op.get();
        if (refusal != null) {
            throw new AssertionError("expected success, got: " + refusal.getMessage(), refusal);
        }
    }

    /** Runs {@code op}, which must be refused without changing any counter of {@code scopes}. */
    private static ResourceException refused(Supplier<ResourceException> op, Scope... scopes) {
        Map<String, ScopeStat> before = books(scopes);
        ResourceException refusal = op.get();
        assertNotNull(refusal, "expected a refusal");
        assertEquals(before, books(scopes), "a refusal must leave every counter as it was");
        return refusal;
    }

    private static ResourceLimitExceededException assertLimit(ResourceException refusal, String refusingScope,
                                                              Resource resource, long current, long requested,
                                                              long limit) {
        ResourceLimitExceededException e = assertInstanceOf(ResourceLimitExceededException.class, refusal);
        assertEquals(refusingScope, e.refusingScope(), "refusing scope");
        assertEquals(resource, e.resource(), "resource");
        assertEquals(current, e.current(), "current");
        assertEquals(requested, e.requested(), "requested");
        assertEquals(LimitValue.of(limit), e.limit(), "limit");
        return e;
    }

    /** go's {@code checkMemory}: whether the reservation would fit; {@code rc} is left as it was. */
    private static boolean fits(Resources rc, long size, ReservationPriority priority, Limit limit, Scope owner) {
        ScopeStat before = rc.stat();
        ResourceException refusal = rc.addMemory(size, priority, limit, owner, owner, false);
        if (refusal == null) {
            assertEquals(size, rc.releaseMemory(size));
        }
        assertEquals(before, rc.stat());
        return refusal == null;
    }

    /** Resources already holding {@code bytes} (go sets {@code rc.memory} directly). */
    private static Resources holding(long bytes, Limit limit, Scope owner) {
        Resources rc = new Resources();
        assertNull(rc.addMemory(bytes, ALWAYS, limit, owner, owner, false));
        assertEquals(bytes, rc.memory());
        return rc;
    }

    // ---- TestCheckMemory ------------------------------------------------------------------------

    /** TestCheckMemory/overflows: usage + reservation overflowing int64 is refused, not wrapped. */
    @Test
    void checkMemoryOverflows() {
        BaseLimit nearMax = limit(Long.MAX_VALUE - 1, 1);
        PlainScope owner = scope(context, "rc", nearMax);

        Resources full = holding(Long.MAX_VALUE - 1, nearMax, owner);
        assertFalse(fits(full, 2, ALWAYS, nearMax, owner));
        ResourceException refusal = full.addMemory(2, ALWAYS, nearMax, owner, owner, false);
        assertLimit(refusal, "rc", Resource.MEMORY, Long.MAX_VALUE - 1, 2, Long.MAX_VALUE - 1);
        assertEquals(Long.MAX_VALUE - 1, full.memory());

        Resources some = holding(1024, nearMax, owner);
        assertTrue(fits(some, 1, ALWAYS, nearMax, owner));
    }

    /** TestCheckMemory/negative mem: a negative reservation is an error even without a memory limit. */
    @Test
    void checkMemoryNegative() {
        BaseLimit unlimitedMemory = SMALL.toBuilder().memory(LimitValue.unlimited()).build();
        PlainScope scope = scope(context, "rc", unlimitedMemory);

        // go's counter check: at MaxInt64 under an unlimited limit, -1 is refused.
        Resources rc = holding(Long.MAX_VALUE, unlimitedMemory, scope);
        assertFalse(fits(rc, -1, ALWAYS, unlimitedMemory, scope));

        // The scope API validates the size before any check (go returns a plain error here).
        scope.reserveMemory(Long.MAX_VALUE, ALWAYS);
        ScopeStat before = scope.stat();
        assertThrows(IllegalArgumentException.class, () -> scope.reserveMemory(-1, ALWAYS));
        assertThrows(IllegalArgumentException.class, () -> scope.tryReserveMemory(-1, ALWAYS));
        assertEquals(before, scope.stat());
    }

    /**
     * TestCheckMemory's quick-check property, as a deterministic loop: for the priorities
     * 2^k - 1 (k = 0..8) a reservation is refused exactly when usage + reservation exceeds
     * limit >> (8 - k). We also check the exact boundary (the largest reservation that fits, and
     * one byte more) and the refusal's fields.
     */
    @Test
    void checkMemoryProperty() {
        Random random = new Random(0x5C09E_7E57L);
        PlainScope owner = scope(context, "rc", SMALL);
        for (int i = 0; i < 100_000; i++) {
            long limit = Long.remainderUnsigned(random.nextLong(), Long.MAX_VALUE) + 1;
            if (limit < 1024) {
                limit = 1024; // the minimum is 1 KiB
            }
            // i = 0 and 1 pin the extremes of the limit range
            if (i == 0) {
                limit = 1024;
            } else if (i == 1) {
                limit = Long.MAX_VALUE - 1;
            }
            long current = Long.remainderUnsigned(random.nextLong(), limit); // we cannot hold more than the limit
            long size = random.nextLong() >>> 14; // no reservation is ever above 2^50
            int shift = random.nextInt(256) % 9;
            checkProperty(limit, current, size, shift, owner);
            // and a usage right at the limit
            checkProperty(limit, limit - 1, size & 0xFFF, shift, owner);
        }
    }

    private static void checkProperty(long limitBytes, long current, long size, int shift, Scope owner) {
        ReservationPriority priority = ReservationPriority.of((1 << shift) - 1);
        BaseLimit limit = limit(limitBytes, 1);
        Resources rc = holding(current, limit, owner);
        String where = "limit=" + limitBytes + " current=" + current + " size=" + size + " priority="
                + priority;

        if (limit.memory().isUnlimited()) {
            // go skips the check entirely for MaxInt64; we still refuse a sum that would overflow.
            boolean overflows = current + size < 0;
            assertEquals(!overflows, fits(rc, size, priority, limit, owner), where);
            return;
        }
        long threshold = limitBytes >> (8 - shift);
        // current < 2^63 and size < 2^50: their sum fits in an unsigned 64-bit compare
        boolean expectRefusal = Long.compareUnsigned(current + size, threshold) > 0;

        ResourceException refusal = rc.addMemory(size, priority, limit, owner, owner, false);
        assertEquals(expectRefusal, refusal != null, where);
        if (refusal != null) {
            assertEquals(current, rc.memory(), where);
            ResourceLimitExceededException e = assertLimit(refusal, "rc", Resource.MEMORY, current, size,
                    limitBytes);
            assertEquals(priority, e.priority(), where);
        } else {
            assertEquals(current + size, rc.memory(), where);
            rc.releaseMemory(size);
        }

        if (threshold >= current) {
            long room = threshold - current;
            assertTrue(fits(rc, room, priority, limit, owner), where + " room=" + room);
            assertFalse(fits(rc, room + 1, priority, limit, owner), where + " room+1=" + (room + 1));
        } else {
            assertFalse(fits(rc, 0, priority, limit, owner), where + " (already above the threshold)");
        }
    }

    /** Our addition to the property: with an unlimited memory limit every priority admits anything that does not overflow. */
    @Test
    void checkMemoryUnlimited() {
        Random random = new Random(42);
        BaseLimit unlimited = BaseLimit.UNLIMITED;
        PlainScope owner = scope(context, "rc", unlimited);
        for (int i = 0; i < 20_000; i++) {
            long current = random.nextLong() >>> 1;
            if (i % 2 == 0) {
                current = Long.MAX_VALUE - (random.nextLong() >>> 13); // close to the top: overflow happens
            }
            long size = random.nextLong() >>> 14;
            ReservationPriority priority = ReservationPriority.of(random.nextInt(256));
            Resources rc = holding(current, unlimited, owner);
            boolean overflows = current + size < 0;
            assertEquals(!overflows, fits(rc, size, priority, unlimited, owner),
                    "current=" + current + " size=" + size);
        }
    }

    // ---- TestResources --------------------------------------------------------------------------

    /** TestResources: the counters of one scope against limits of 4096 bytes and 1 of everything. */
    @Test
    void resources() {
        PlainScope owner = scope(context, "rc", SMALL);
        Resources rc = new Resources();
        assertEquals(ScopeStat.ZERO, rc.stat());

        // checkMemory: Always admits up to the limit, Low/Medium/High up to 1632/2448/3264
        assertTrue(fits(rc, 1024, ALWAYS, SMALL, owner));
        assertTrue(fits(rc, 2048, ALWAYS, SMALL, owner));
        assertTrue(fits(rc, 3072, ALWAYS, SMALL, owner));
        assertTrue(fits(rc, 4096, ALWAYS, SMALL, owner));
        assertFalse(fits(rc, 8192, ALWAYS, SMALL, owner));
        assertTrue(fits(rc, 1024, LOW, SMALL, owner));
        assertFalse(fits(rc, 2048, LOW, SMALL, owner));
        assertTrue(fits(rc, 2048, MEDIUM, SMALL, owner));
        assertFalse(fits(rc, 3072, MEDIUM, SMALL, owner));
        assertTrue(fits(rc, 3072, HIGH, SMALL, owner));
        assertFalse(fits(rc, 3584, HIGH, SMALL, owner));
        // the exact cut-offs
        assertTrue(fits(rc, 1632, LOW, SMALL, owner));
        assertFalse(fits(rc, 1633, LOW, SMALL, owner));
        assertTrue(fits(rc, 2448, MEDIUM, SMALL, owner));
        assertFalse(fits(rc, 2449, MEDIUM, SMALL, owner));
        assertTrue(fits(rc, 3264, HIGH, SMALL, owner));
        assertFalse(fits(rc, 3265, HIGH, SMALL, owner));

        // reserveMemory / releaseMemory
        LongFunction<Supplier<ResourceException>> always = n -> () -> rc.addMemory(n, ALWAYS, SMALL, owner, owner, false);
        admitted(always.apply(1024));
        assertEquals(memory(1024), rc.stat());
        admitted(always.apply(1024));
        assertEquals(memory(2048), rc.stat());
        admitted(always.apply(1024));
        assertEquals(memory(3072), rc.stat());
        admitted(always.apply(512));
        assertEquals(memory(3584), rc.stat());
        ResourceException refusal = always.apply(4096).get();
        assertLimit(refusal, "rc", Resource.MEMORY, 3584, 4096, 4096);
        assertEquals(memory(3584), rc.stat());

        assertEquals(2560, rc.releaseMemory(2560));
        assertEquals(memory(1024), rc.stat());
        admitted(always.apply(2048));
        assertEquals(memory(3072), rc.stat());
        assertEquals(3072, rc.releaseMemory(3072));
        assertEquals(ScopeStat.ZERO, rc.stat());

        admitted(() -> rc.addMemory(1024, LOW, SMALL, owner, owner, false));
        assertEquals(memory(1024), rc.stat());
        refusal = rc.addMemory(1024, LOW, SMALL, owner, owner, false);
        ResourceLimitExceededException low = assertLimit(refusal, "rc", Resource.MEMORY, 1024, 1024, 4096);
        assertEquals(LOW, low.priority());
        assertTrue(low.retryable());
        assertEquals(memory(1024), rc.stat());
        admitted(() -> rc.addMemory(1024, MEDIUM, SMALL, owner, owner, false));
        assertEquals(memory(2048), rc.stat());
        assertNotNull(rc.addMemory(1024, MEDIUM, SMALL, owner, owner, false));
        assertEquals(memory(2048), rc.stat());
        admitted(() -> rc.addMemory(1024, HIGH, SMALL, owner, owner, false));
        assertEquals(memory(3072), rc.stat());
        assertNotNull(rc.addMemory(512, HIGH, SMALL, owner, owner, false));
        assertEquals(memory(3072), rc.stat());
        admitted(always.apply(512));
        assertEquals(memory(3584), rc.stat());
        assertEquals(3584, rc.releaseMemory(3584));
        assertEquals(ScopeStat.ZERO, rc.stat());

        // streams: 1 inbound, 1 outbound, 1 in total
        admitted(() -> rc.addStreams(1, 0, SMALL, owner, owner, false));
        assertEquals(streamsIn(1), rc.stat());
        assertLimit(rc.addStreams(1, 0, SMALL, owner, owner, false), "rc", Resource.STREAMS_INBOUND, 1, 1, 1);
        assertEquals(streamsIn(1), rc.stat());
        assertLimit(rc.addStreams(0, 1, SMALL, owner, owner, false), "rc", Resource.STREAMS, 1, 1, 1);
        assertEquals(streamsIn(1), rc.stat());
        rc.removeStreams(1, 0);
        assertEquals(ScopeStat.ZERO, rc.stat());

        admitted(() -> rc.addStreams(0, 1, SMALL, owner, owner, false));
        assertEquals(streamsOut(1), rc.stat());
        assertLimit(rc.addStreams(0, 1, SMALL, owner, owner, false), "rc", Resource.STREAMS_OUTBOUND, 1, 1, 1);
        assertEquals(streamsOut(1), rc.stat());
        assertLimit(rc.addStreams(1, 0, SMALL, owner, owner, false), "rc", Resource.STREAMS, 1, 1, 1);
        assertEquals(streamsOut(1), rc.stat());
        rc.removeStreams(0, 1);
        assertEquals(ScopeStat.ZERO, rc.stat());

        // connections, without a file descriptor
        admitted(() -> rc.addConns(1, 0, 0, SMALL, owner, owner, false));
        assertEquals(connsIn(1), rc.stat());
        assertLimit(rc.addConns(1, 0, 0, SMALL, owner, owner, false), "rc", Resource.CONNS_INBOUND, 1, 1, 1);
        assertEquals(connsIn(1), rc.stat());
        rc.removeConns(1, 0, 0);
        assertEquals(ScopeStat.ZERO, rc.stat());

        admitted(() -> rc.addConns(0, 1, 0, SMALL, owner, owner, false));
        assertEquals(connsOut(1), rc.stat());
        assertLimit(rc.addConns(0, 1, 0, SMALL, owner, owner, false), "rc", Resource.CONNS_OUTBOUND, 1, 1, 1);
        assertEquals(connsOut(1), rc.stat());
        rc.removeConns(0, 1, 0);
        assertEquals(ScopeStat.ZERO, rc.stat());

        // and with one: the descriptor is counted only then
        admitted(() -> rc.addConns(1, 0, 1, SMALL, owner, owner, false));
        assertEquals(connsInWithFd(1), rc.stat());
        assertLimit(rc.addConns(0, 1, 1, SMALL, owner, owner, false), "rc", Resource.CONNS, 1, 1, 1);
        assertEquals(connsInWithFd(1), rc.stat());
        rc.removeConns(1, 0, 1);
        assertEquals(ScopeStat.ZERO, rc.stat());
    }

    // ---- TestResourceScopeSimple ----------------------------------------------------------------

    /** TestResourceScopeSimple: reference counting, then the basic sequence through the scope's own operations. */
    @Test
    void resourceScopeSimple() {
        PlainScope s = scope(context, "test", SMALL);

        s.incRef();
        assertEquals(1, s.refCount());
        s.decRef();
        assertEquals(0, s.refCount());
        // go lets the count go negative; we refuse and keep it at zero
        assertThrows(IllegalStateException.class, s::decRef);
        assertEquals(0, s.refCount());

        // go's IsUnused ignores memory: an unreferenced scope holding only memory is collectable
        s.reserveMemory(1, ALWAYS);
        assertTrue(s.isUnused());
        s.releaseMemory(1);

        basicMemory(s, s);
        basicCounts(s);
    }

    /** The memory half of go's testResourceScopeBasic, on {@code s}; {@code owner} must mirror it throughout. */
    private static void basicMemory(Scope s, Scope owner) {
        admitted(() -> reserve(s, 2048, ALWAYS));
        assertStat(memory(2048), s);
        assertStat(memory(2048), owner);
        admitted(() -> reserve(s, 1024, ALWAYS));
        assertStat(memory(3072), s);
        admitted(() -> reserve(s, 512, ALWAYS));
        assertStat(memory(3584), s);
        admitted(() -> reserve(s, 512, ALWAYS));
        assertStat(memory(4096), s);
        assertStat(memory(4096), owner);

        ResourceException refusal = refused(() -> reserve(s, 1024, ALWAYS), s, owner);
        ResourceLimitExceededException e = assertLimit(refusal, s.name(), Resource.MEMORY, 4096, 1024, 4096);
        assertEquals(ALWAYS, e.priority());
        assertTrue(e.retryable());
        assertEquals(s.path(), e.path());

        s.releaseMemory(4096);
        assertStat(ScopeStat.ZERO, s);
        assertStat(ScopeStat.ZERO, owner);
    }

    /**
     * The stream and connection half of go's testResourceScopeBasic. Our scopes have no public
     * RemoveStream/RemoveConn (a stream or connection scope holds its one count until it is done),
     * so the removals go through the counters directly; for a scope without edges that is all go's
     * RemoveStream/RemoveConn do.
     */
    private static void basicCounts(PlainScope s) {
        assertEquals(0, s.edges().length);

        admitted(() -> s.addStream(Direction.INBOUND));
        assertStat(streamsIn(1), s);
        assertFalse(s.isUnused(), "a scope holding a stream is in use");
        assertLimit(refused(() -> s.addStream(Direction.INBOUND), s), "test", Resource.STREAMS_INBOUND, 1, 1, 1);
        assertLimit(refused(() -> s.addStream(Direction.OUTBOUND), s), "test", Resource.STREAMS, 1, 1, 1);
        s.resources.removeStreams(1, 0);
        assertStat(ScopeStat.ZERO, s);

        admitted(() -> s.addStream(Direction.OUTBOUND));
        assertStat(streamsOut(1), s);
        assertLimit(refused(() -> s.addStream(Direction.OUTBOUND), s), "test", Resource.STREAMS_OUTBOUND, 1, 1, 1);
        refused(() -> s.addStream(Direction.INBOUND), s);
        // DirUnknown is counted as outbound
        assertLimit(refused(() -> s.addStream(Direction.UNKNOWN), s), "test", Resource.STREAMS_OUTBOUND, 1, 1, 1);
        s.resources.removeStreams(0, 1);
        assertStat(ScopeStat.ZERO, s);

        admitted(() -> s.addConn(Direction.INBOUND, false));
        assertStat(connsIn(1), s);
        assertLimit(refused(() -> s.addConn(Direction.INBOUND, false), s), "test", Resource.CONNS_INBOUND, 1, 1, 1);
        s.resources.removeConns(1, 0, 0);
        assertStat(ScopeStat.ZERO, s);

        admitted(() -> s.addConn(Direction.OUTBOUND, false));
        assertStat(connsOut(1), s);
        assertLimit(refused(() -> s.addConn(Direction.OUTBOUND, false), s), "test", Resource.CONNS_OUTBOUND, 1, 1,
                1);
        s.resources.removeConns(0, 1, 0);
        assertStat(ScopeStat.ZERO, s);

        admitted(() -> s.addConn(Direction.INBOUND, true));
        assertStat(connsInWithFd(1), s);
        refused(() -> s.addConn(Direction.OUTBOUND, true), s);
        s.resources.removeConns(1, 0, 1);
        assertStat(ScopeStat.ZERO, s);
        assertTrue(s.isUnused());
    }

    // ---- TestResourceScopeTxnBasic --------------------------------------------------------------

    /**
     * TestResourceScopeTxnBasic: a span enforces its owner's limit, carries its reservations to the
     * owner, and gives them back when done; a second done is harmless. (go also runs the stream
     * and connection checks on the span; our spans account for memory only, which is all a span
     * is ever used for.)
     */
    @Test
    void resourceScopeTxnBasic() {
        PlainScope s = scope(context, "test", SMALL);
        ResourceScopeSpan txn = s.beginSpan();
        SpanScope span = (SpanScope) txn;
        assertEquals("test.span-1", txn.name());
        assertEquals(1, s.refCount(), "an open span holds a reference on its owner");
        assertTrue(context.live.contains(span));

        basicMemory(span, s);
        assertStat(ScopeStat.ZERO, s);

        // constraint propagation
        txn.reserveMemory(4096, ALWAYS);
        assertStat(memory(4096), span);
        assertStat(memory(4096), s);
        txn.done();
        assertTrue(txn.isDone());
        assertStat(ScopeStat.ZERO, span);
        assertStat(ScopeStat.ZERO, s);
        assertEquals(0, s.refCount());
        assertFalse(context.live.contains(span));
        txn.done(); // idempotent
        assertStat(ScopeStat.ZERO, s);
        assertEquals(0, s.refCount());
        assertInstanceOf(ResourceScopeClosedException.class, reserve(span, 1, ALWAYS));
        assertStat(ScopeStat.ZERO, s);
    }

    /** Our addition: a refusal by the owner (not the span) is reported as such and leaves both untouched. */
    @Test
    void spanRefusedByOwner() {
        PlainScope s = scope(context, "test", SMALL);
        s.reserveMemory(1024, ALWAYS);
        try (ResourceScopeSpan txn = s.beginSpan()) {
            SpanScope span = (SpanScope) txn;
            ResourceException refusal = refused(() -> reserve(span, 4096, ALWAYS), s, span);
            ResourceLimitExceededException e = assertLimit(refusal, "test", Resource.MEMORY, 1024, 4096, 4096);
            assertEquals("test > test.span-1", e.path());
            assertFalse(txn.tryReserveMemory(4096, ALWAYS));
            assertStat(memory(1024), s);
            assertStat(ScopeStat.ZERO, span);
            txn.reserveMemory(3072, ALWAYS);
            assertStat(memory(4096), s);
        }
        assertStat(memory(1024), s);
        assertEquals(0, s.refCount());
    }

    // ---- TestResourceScopeTxnZombie -------------------------------------------------------------

    /**
     * TestResourceScopeTxnZombie: closing the middle of two nested spans releases everything from
     * the owner; the inner span can then reserve nothing, and its done does not release twice.
     */
    @Test
    void resourceScopeTxnZombie() {
        PlainScope s = scope(context, "test", SMALL);
        ResourceScopeSpan txn1 = s.beginSpan();
        ResourceScopeSpan txn2 = txn1.beginSpan();
        SpanScope span1 = (SpanScope) txn1;
        SpanScope span2 = (SpanScope) txn2;
        assertEquals("test.span-1.span-1", txn2.name());

        txn2.reserveMemory(4096, ALWAYS);
        assertStat(memory(4096), span2);
        assertStat(memory(4096), span1);
        assertStat(memory(4096), s);

        txn1.done();
        assertStat(ScopeStat.ZERO, s);
        assertStat(ScopeStat.ZERO, span1);
        assertEquals(0, s.refCount());
        assertEquals(1, span1.refCount(), "the zombie still holds its reference on the closed span");

        assertNotNull(refused(() -> reserve(span2, 4096, ALWAYS), s, span1, span2));

        txn2.done();
        assertStat(ScopeStat.ZERO, s);
        assertStat(ScopeStat.ZERO, span2);
        assertEquals(0, span1.refCount());
        assertTrue(context.live.isEmpty());
    }

    /** Our addition: a zombie span whose own limit still has room is refused because its owner is closed. */
    @Test
    void zombieSpanRefusedAsClosed() {
        PlainScope s = scope(context, "test", SMALL);
        ResourceScopeSpan txn1 = s.beginSpan();
        SpanScope span2 = (SpanScope) txn1.beginSpan();
        span2.reserveMemory(1024, ALWAYS);
        txn1.done();
        assertStat(ScopeStat.ZERO, s);

        ResourceException refusal = refused(() -> reserve(span2, 1024, ALWAYS), s, (SpanScope) txn1, span2);
        assertEquals("test.span-1", assertInstanceOf(ResourceScopeClosedException.class, refusal).scope());
        assertStat(memory(1024), span2);

        // releasing on a zombie is harmless: nothing reaches the closed owner or the scope above it
        span2.releaseMemory(1024);
        assertStat(ScopeStat.ZERO, span2);
        assertStat(ScopeStat.ZERO, s);
        span2.done();
        assertStat(ScopeStat.ZERO, s);
        assertThrows(ResourceScopeClosedException.class, txn1::beginSpan);
    }

    // ---- TestResourceScopeTxnTree ---------------------------------------------------------------

    /** TestResourceScopeTxnTree: a tree of spans adds up at every level; once the root is full every leaf is refused. */
    @Test
    void resourceScopeTxnTree() {
        PlainScope s = scope(context, "test", SMALL);
        SpanScope txn1 = (SpanScope) s.beginSpan();
        SpanScope txn2 = (SpanScope) txn1.beginSpan();
        SpanScope txn3 = (SpanScope) txn1.beginSpan();
        SpanScope txn4 = (SpanScope) txn2.beginSpan();
        SpanScope txn5 = (SpanScope) txn2.beginSpan();
        Scope[] all = {s, txn1, txn2, txn3, txn4, txn5};
        assertEquals(1, s.refCount());
        assertEquals(2, txn1.refCount());
        assertEquals(2, txn2.refCount());
        assertEquals("test.span-1.span-2", txn3.name());

        txn3.reserveMemory(1024, ALWAYS);
        assertStat(memory(1024), txn3);
        assertStat(memory(1024), txn1);
        assertStat(memory(1024), s);

        txn4.reserveMemory(1024, ALWAYS);
        assertStat(memory(1024), txn4);
        assertStat(memory(1024), txn3);
        assertStat(memory(1024), txn2);
        assertStat(memory(2048), txn1);
        assertStat(memory(2048), s);

        txn5.reserveMemory(1024, ALWAYS);
        assertStat(memory(1024), txn5);
        assertStat(memory(1024), txn4);
        assertStat(memory(1024), txn3);
        assertStat(memory(2048), txn2);
        assertStat(memory(3072), txn1);
        assertStat(memory(3072), s);

        txn1.reserveMemory(1024, ALWAYS);
        assertStat(memory(1024), txn5);
        assertStat(memory(1024), txn4);
        assertStat(memory(1024), txn3);
        assertStat(memory(2048), txn2);
        assertStat(memory(4096), txn1);
        assertStat(memory(4096), s);

        for (SpanScope leaf : List.of(txn5, txn4, txn3, txn2)) {
            ResourceException refusal = refused(() -> reserve(leaf, 1024, ALWAYS), all);
            // the first scope on the way up that is full is txn1
            assertLimit(refusal, "test.span-1", Resource.MEMORY, 4096, 1024, 4096);
        }
        assertStat(memory(1024), txn5);
        assertStat(memory(1024), txn4);
        assertStat(memory(1024), txn3);
        assertStat(memory(2048), txn2);
        assertStat(memory(4096), txn1);
        assertStat(memory(4096), s);

        txn1.done();
        assertStat(ScopeStat.ZERO, s);
        assertEquals(0, s.refCount());

        // the rest are zombies now; closing them changes nothing above
        for (SpanScope span : List.of(txn5, txn4, txn3, txn2)) {
            span.done();
        }
        assertStat(ScopeStat.ZERO, s);
        assertEquals(0, txn1.refCount());
        assertEquals(0, txn2.refCount());
        assertTrue(context.live.isEmpty());
    }

    // ---- TestResourceScopeDAG -------------------------------------------------------------------

    /**
     * One stream/connection phase of TestResourceScopeDAG: s4, s5, s6 each add one, a second add
     * on each is refused (by s2, s2 and s3 respectively), then the three give theirs back in turn.
     * Our stream and connection scopes hold their count until done, so go's RemoveStream/RemoveConn
     * on a leaf is the leaf's done here, which gives back everything it holds in every edge; the
     * next phase uses fresh leaves with the same edges.
     */
    private record Phase(String name, LongFunction<ScopeStat> stat, Function<DagScope, ResourceException> add,
                         Function<DagScope, ResourceException> addAgain, Resource refused) {
    }

    /** TestResourceScopeDAG: a diamond counts every reservation once per ancestor; refusals change nothing; releases reach every edge. */
    @Test
    void resourceScopeDag() {
        Dag d = new Dag(context, limit(4096, 4), limit(2048, 2), limit(2048, 2));
        d.expectRefs(5, 2, 2, 0, 0, 0);
        assertEquals("s1 > s2 > s4", d.s4.path());
        ScopeStat zero = ScopeStat.ZERO;

        // memory
        d.s4.reserveMemory(1024, ALWAYS);
        d.expect(memory(1024), memory(1024), memory(1024), memory(1024), zero, zero);
        d.s5.reserveMemory(1024, ALWAYS);
        d.expect(memory(2048), memory(2048), memory(1024), memory(1024), memory(1024), zero);
        d.s6.reserveMemory(1024, ALWAYS);
        d.expect(memory(3072), memory(2048), memory(2048), memory(1024), memory(1024), memory(1024));

        ResourceException r4 = refused(() -> reserve(d.s4, 1024, ALWAYS), d.all());
        ResourceLimitExceededException e4 = assertLimit(r4, "s2", Resource.MEMORY, 2048, 1024, 2048);
        assertEquals("s1 > s2 > s4", e4.path());
        assertLimit(refused(() -> reserve(d.s5, 1024, ALWAYS), d.all()), "s2", Resource.MEMORY, 2048, 1024, 2048);
        assertLimit(refused(() -> reserve(d.s6, 1024, ALWAYS), d.all()), "s3", Resource.MEMORY, 2048, 1024, 2048);
        d.expect(memory(3072), memory(2048), memory(2048), memory(1024), memory(1024), memory(1024));

        d.s4.releaseMemory(1024);
        d.expect(memory(2048), memory(1024), memory(1024), zero, memory(1024), memory(1024));
        d.s5.releaseMemory(1024);
        d.expect(memory(1024), zero, memory(1024), zero, zero, memory(1024));
        d.s6.releaseMemory(1024);
        d.expect(zero, zero, zero, zero, zero, zero);

        List<Phase> phases = List.of(
                new Phase("inbound streams", TestScopes::streamsIn, s -> s.addStream(Direction.INBOUND),
                        s -> s.addStream(Direction.INBOUND), Resource.STREAMS_INBOUND),
                new Phase("outbound streams", TestScopes::streamsOut, s -> s.addStream(Direction.OUTBOUND),
                        s -> s.addStream(Direction.OUTBOUND), Resource.STREAMS_OUTBOUND),
                new Phase("inbound conns", TestScopes::connsIn, s -> s.addConn(Direction.INBOUND, false),
                        s -> s.addConn(Direction.INBOUND, false), Resource.CONNS_INBOUND),
                new Phase("outbound conns", TestScopes::connsOut, s -> s.addConn(Direction.OUTBOUND, false),
                        s -> s.addConn(Direction.OUTBOUND, false), Resource.CONNS_OUTBOUND),
                // go's last phase: inbound conns with descriptors, then outbound ones with descriptors
                // are refused by the total connection limit of s2/s3
                new Phase("inbound conns with fd", TestScopes::connsInWithFd, s -> s.addConn(Direction.INBOUND, true),
                        s -> s.addConn(Direction.OUTBOUND, true), Resource.CONNS));

        for (Phase p : phases) {
            LongFunction<ScopeStat> n = p.stat();
            admitted(() -> p.add().apply(d.s4));
            d.expect(n.apply(1), n.apply(1), n.apply(1), n.apply(1), zero, zero);
            admitted(() -> p.add().apply(d.s5));
            d.expect(n.apply(2), n.apply(2), n.apply(1), n.apply(1), n.apply(1), zero);
            admitted(() -> p.add().apply(d.s6));
            d.expect(n.apply(3), n.apply(2), n.apply(2), n.apply(1), n.apply(1), n.apply(1));

            assertLimit(refused(() -> p.addAgain().apply(d.s4), d.all()), "s2", p.refused(), 2, 1, 2);
            assertLimit(refused(() -> p.addAgain().apply(d.s5), d.all()), "s2", p.refused(), 2, 1, 2);
            assertLimit(refused(() -> p.addAgain().apply(d.s6), d.all()), "s3", p.refused(), 2, 1, 2);
            d.expect(n.apply(3), n.apply(2), n.apply(2), n.apply(1), n.apply(1), n.apply(1));

            d.s4.closeScope();
            d.expect(n.apply(2), n.apply(1), n.apply(1), zero, n.apply(1), n.apply(1));
            d.expectRefs(4, 1, 1, 0, 0, 0);
            d.s5.closeScope();
            d.expect(n.apply(1), zero, n.apply(1), zero, zero, n.apply(1));
            d.expectRefs(3, 0, 1, 0, 0, 0);
            d.s6.closeScope();
            d.expect(zero, zero, zero, zero, zero, zero);
            d.expectRefs(2, 0, 0, 0, 0, 0);

            // a closed leaf admits nothing and releases nothing twice
            assertInstanceOf(ResourceScopeClosedException.class, p.add().apply(d.s4));
            d.s4.closeScope();
            d.expectRefs(2, 0, 0, 0, 0, 0);

            d.spawnLeaves();
            d.expectRefs(5, 2, 2, 0, 0, 0);
        }
    }

    /** Our addition: closing a diamond leaf that holds memory and counts gives everything back from every edge, once. */
    @Test
    void closingDagLeafReleasesEverythingOnce() {
        Dag d = new Dag(context, limit(4096, 4), limit(2048, 2), limit(2048, 2));
        ScopeStat zero = ScopeStat.ZERO;
        d.s4.reserveMemory(1024, ALWAYS);
        admitted(() -> d.s4.addStream(Direction.INBOUND));
        admitted(() -> d.s4.addConn(Direction.OUTBOUND, true));
        ScopeStat held = new ScopeStat(1, 0, 0, 1, 1, 1024);
        d.expect(held, held, held, held, zero, zero);
        d.s6.reserveMemory(512, ALWAYS);

        d.s4.closeScope();
        d.expect(memory(512), zero, memory(512), zero, zero, memory(512));
        d.expectRefs(4, 1, 1, 0, 0, 0);
        d.s4.closeScope();
        d.expect(memory(512), zero, memory(512), zero, zero, memory(512));
        d.expectRefs(4, 1, 1, 0, 0, 0);

        assertInstanceOf(ResourceScopeClosedException.class, reserve(d.s4, 1, ALWAYS));
        assertThrows(ResourceScopeClosedException.class, d.s4::beginSpan);
        d.s4.releaseMemory(1024); // a release on a closed scope does nothing
        d.expect(memory(512), zero, memory(512), zero, zero, memory(512));
    }

    // ---- TestResourceScopeDAGTxn ----------------------------------------------------------------

    /** TestResourceScopeDAGTxn: spans on DAG scopes reserve through every edge, and their done releases from every edge. */
    @Test
    void resourceScopeDagTxn() {
        Dag d = new Dag(context, memoryOnly(8192), memoryOnly(4096 + 2048), memoryOnly(4096 + 1024));
        ScopeStat zero = ScopeStat.ZERO;
        SpanScope txn4 = (SpanScope) d.s4.beginSpan();
        SpanScope txn5 = (SpanScope) d.s5.beginSpan();
        SpanScope txn6 = (SpanScope) d.s6.beginSpan();
        d.expectRefs(5, 2, 2, 1, 1, 1);
        Scope[] all = {d.s1, d.s2, d.s3, d.s4, d.s5, d.s6, txn4, txn5, txn6};

        txn4.reserveMemory(1024, ALWAYS);
        d.expect(memory(1024), memory(1024), memory(1024), memory(1024), zero, zero);
        txn5.reserveMemory(1024, ALWAYS);
        d.expect(memory(2048), memory(2048), memory(1024), memory(1024), memory(1024), zero);
        txn6.reserveMemory(1024, ALWAYS);
        d.expect(memory(3072), memory(2048), memory(2048), memory(1024), memory(1024), memory(1024));

        txn4.reserveMemory(4096, ALWAYS);
        d.expect(memory(3072 + 4096), memory(2048 + 4096), memory(2048 + 4096), memory(1024 + 4096), memory(1024),
                memory(1024));

        assertLimit(refused(() -> reserve(txn4, 1024, ALWAYS), all), "s4.span-1", Resource.MEMORY, 5120, 1024, 5120);
        assertLimit(refused(() -> reserve(txn5, 1024, ALWAYS), all), "s2", Resource.MEMORY, 6144, 1024, 6144);
        ResourceLimitExceededException e6 = assertLimit(refused(() -> reserve(txn6, 1024, ALWAYS), all), "s3",
                Resource.MEMORY, 6144, 1024, 6144);
        assertEquals("s1 > s3 > s6 > s6.span-1", e6.path());
        d.expect(memory(3072 + 4096), memory(2048 + 4096), memory(2048 + 4096), memory(1024 + 4096), memory(1024),
                memory(1024));

        txn4.done();
        d.expect(memory(2048), memory(1024), memory(1024), zero, memory(1024), memory(1024));
        d.expectRefs(5, 2, 2, 0, 1, 1);

        txn5.reserveMemory(1024, ALWAYS);
        txn6.reserveMemory(1024, ALWAYS);
        d.expect(memory(4096), memory(2048), memory(2048), zero, memory(2048), memory(2048));

        txn5.done();
        txn6.done();
        d.expect(zero, zero, zero, zero, zero, zero);
        d.expectRefs(5, 2, 2, 0, 0, 0);
        assertTrue(context.live.isEmpty());
    }

    // ---- release validation: where we deliberately differ from go --------------------------------

    /**
     * go clamps an over-release at zero in the scope and still subtracts the full amount from every
     * ancestor (corrupting what siblings hold there), and a negative release silently raises usage.
     * We refuse both with IllegalArgumentException and leave every counter as it was.
     */
    @Test
    void releaseValidation() {
        Dag d = new Dag(context, limit(4096, 4), limit(2048, 2), limit(2048, 2));
        d.s4.reserveMemory(1024, ALWAYS);
        d.s5.reserveMemory(512, ALWAYS);
        Map<String, ScopeStat> before = books(d.all());

        assertThrows(IllegalArgumentException.class, () -> d.s4.releaseMemory(2048));
        assertThrows(IllegalArgumentException.class, () -> d.s4.releaseMemory(-1));
        assertThrows(IllegalArgumentException.class, () -> d.s6.releaseMemory(1));
        assertEquals(before, books(d.all()));

        // a span releases only what it reserved; its owner releases only what it reserved itself
        SpanScope span = (SpanScope) d.s4.beginSpan();
        assertThrows(IllegalArgumentException.class, () -> span.releaseMemory(1024));
        span.reserveMemory(256, ALWAYS);
        Map<String, ScopeStat> withSpan = books(d.all());
        assertThrows(IllegalArgumentException.class, () -> d.s4.releaseMemory(1024 + 256));
        assertThrows(IllegalArgumentException.class, () -> span.releaseMemory(257));
        assertEquals(withSpan, books(d.all()));
        span.releaseMemory(256);
        d.s4.releaseMemory(1024);
        d.s5.releaseMemory(512);
        span.done();
        d.expect(ScopeStat.ZERO, ScopeStat.ZERO, ScopeStat.ZERO, ScopeStat.ZERO, ScopeStat.ZERO, ScopeStat.ZERO);
    }
}
