package org.jrcmgr.impl.scope;

import org.jrcmgr.impl.observe.ScopeObserver;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Limit;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;

/** Scopes built by hand, outside any manager, for the scope-level tests of this package. */
final class TestScopes {

    private TestScopes() {
    }

    /** A scope context that records which short-lived scopes are live. */
    static final class Context implements ScopeContext {
        final Set<Scope> live = ConcurrentHashMap.newKeySet();
        private final RefusalLog refusals = new RefusalLog();
        private final RefusalRecorder recorder = new RefusalRecorder(16);

        @Override
        public void registerLive(Scope scope) {
            live.add(scope);
        }

        @Override
        public void unregisterLive(Scope scope) {
            live.remove(scope);
        }

        @Override
        public RefusalLog refusals() {
            return refusals;
        }

        @Override
        public RefusalRecorder recorder() {
            return recorder;
        }

        @Override
        public boolean shadowMode() {
            return false;
        }

        @Override
        public ScopeObserver observer() {
            return ScopeObserver.NONE;
        }
    }

    /** {@code memory} bytes, and {@code count} for every stream, connection and descriptor limit. */
    static BaseLimit limit(long memory, long count) {
        return BaseLimit.builder()
                .memory(memory)
                .streams(count, count, count)
                .conns(count, count, count)
                .fd(count)
                .build();
    }

    /** {@code memory} bytes and nothing else (go's {@code &BaseLimit{Memory: n}}: the rest is zero, block-all). */
    static BaseLimit memoryOnly(long memory) {
        return BaseLimit.builder().memory(memory).build();
    }

    static PlainScope scope(Context context, String name, Limit limit, DagScope... edges) {
        return new PlainScope(context, name, ScopeKind.SERVICE, limit, edges);
    }

    // ---- stats, in go's ScopeStat vocabulary ----------------------------------------------------

    static ScopeStat memory(long bytes) {
        return new ScopeStat(0, 0, 0, 0, 0, bytes);
    }

    static ScopeStat streamsIn(long n) {
        return new ScopeStat(n, 0, 0, 0, 0, 0);
    }

    static ScopeStat streamsOut(long n) {
        return new ScopeStat(0, n, 0, 0, 0, 0);
    }

    static ScopeStat connsIn(long n) {
        return new ScopeStat(0, 0, n, 0, 0, 0);
    }

    static ScopeStat connsOut(long n) {
        return new ScopeStat(0, 0, 0, n, 0, 0);
    }

    static ScopeStat connsInWithFd(long n) {
        return new ScopeStat(0, 0, n, 0, n, 0);
    }

    /** Every scope's stat, by name, in the order given. */
    static Map<String, ScopeStat> books(Scope... scopes) {
        Map<String, ScopeStat> books = new LinkedHashMap<>();
        for (Scope scope : scopes) {
            books.put(scope.name(), scope.stat());
        }
        return books;
    }

    static void assertStat(ScopeStat expected, Scope scope) {
        assertEquals(expected, scope.stat(), () -> "stat of " + scope.name());
    }

    /**
     * go-libp2p's test DAG:
     * <pre>
     * s1
     * +---> s2
     * |      +------------> s5
     * |      +----
     * +---> s3 +.  \
     *          | \  -----+-> s4 (a diamond!)
     *          |  ------/
     *          \
     *           ------> s6
     * </pre>
     * s4's edges are [s2, s3, s1], s5's [s2, s1], s6's [s3, s1]. The leaves can be replaced by
     * fresh ones with the same edges once they are done, the way go reuses the same scopes after
     * removing what it added.
     */
    static final class Dag {
        final Context context;
        final PlainScope s1;
        final PlainScope s2;
        final PlainScope s3;
        private final Limit leafLimit;
        PlainScope s4;
        PlainScope s5;
        PlainScope s6;

        Dag(Context context, Limit top, Limit middle, Limit leaf) {
            this.context = context;
            this.leafLimit = leaf;
            s1 = scope(context, "s1", top);
            s2 = scope(context, "s2", middle, s1);
            s3 = scope(context, "s3", middle, s1);
            spawnLeaves();
        }

        /** New leaves s4, s5, s6 with the same edges as the first ones. */
        void spawnLeaves() {
            s4 = scope(context, "s4", leafLimit, s2, s3, s1);
            s5 = scope(context, "s5", leafLimit, s2, s1);
            s6 = scope(context, "s6", leafLimit, s3, s1);
        }

        Scope[] all() {
            return new Scope[] {s1, s2, s3, s4, s5, s6};
        }

        /** Asserts the stats of s1 to s6, in that order. */
        void expect(ScopeStat e1, ScopeStat e2, ScopeStat e3, ScopeStat e4, ScopeStat e5, ScopeStat e6) {
            assertStat(e1, s1);
            assertStat(e2, s2);
            assertStat(e3, s3);
            assertStat(e4, s4);
            assertStat(e5, s5);
            assertStat(e6, s6);
        }

        /** Asserts the reference counts of s1 to s6, in that order. */
        void expectRefs(int r1, int r2, int r3, int r4, int r5, int r6) {
            int[] expected = {r1, r2, r3, r4, r5, r6};
            Scope[] scopes = all();
            for (int i = 0; i < scopes.length; i++) {
                assertEquals(expected[i], scopes[i].refCount(), "reference count of " + scopes[i].name());
            }
        }
    }
}
