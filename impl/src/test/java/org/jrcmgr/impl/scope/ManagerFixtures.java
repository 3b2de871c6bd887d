package org.jrcmgr.impl.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/** Small helpers shared by the resource manager tests: limits, expected usages, book-keeping checks. */
final class ManagerFixtures {

    /** The remote address every test connection comes from (go-libp2p's {@code dummyMA}). */
    static final Multiaddr ENDPOINT = Multiaddr.parse("/ip4/1.2.3.4/tcp/1234");

    /** The kinds of scope the manager creates on demand and keeps after a refusal. */
    private static final Set<ScopeKind> LONG_LIVED = EnumSet.of(ScopeKind.PEER, ScopeKind.PROTOCOL,
            ScopeKind.PROTOCOL_PEER, ScopeKind.SERVICE, ScopeKind.SERVICE_PEER);

    private ManagerFixtures() {
    }

    /** The setup of the tests that walk one manager: a fresh one for each test, closed after it. */
    abstract static class FreshManager {

        DefaultResourceManager manager;

        /** The limits each test's manager starts with. */
        abstract ConcreteLimitConfig limits();

        @BeforeEach
        void createManager() {
            manager = new DefaultResourceManager(new FixedLimiter(limits()), null);
        }

        @AfterEach
        void closeManager() {
            manager.close();
        }
    }

    /**
     * A limit with go-libp2p's zero-value semantics: whatever is not given is block-all.
     */
    static BaseLimit limit(long streamsIn, long streamsOut, long streams, long connsIn, long connsOut, long conns,
                           long fd, long memory) {
        return BaseLimit.builder().streams(streamsIn, streamsOut, streams).conns(connsIn, connsOut, conns).fd(fd)
                .memory(memory).build();
    }

    /** Expected usage, built field by field; everything not mentioned is zero. */
    static Usage usage() {
        return new Usage();
    }

    /** A fluent {@link ScopeStat} for expectations. */
    static final class Usage {
        private long streamsIn;
        private long streamsOut;
        private long connsIn;
        private long connsOut;
        private long fd;
        private long memory;

        Usage streamsIn(long n) {
            streamsIn = n;
            return this;
        }

        Usage streamsOut(long n) {
            streamsOut = n;
            return this;
        }

        Usage connsIn(long n) {
            connsIn = n;
            return this;
        }

        Usage connsOut(long n) {
            connsOut = n;
            return this;
        }

        Usage fd(long n) {
            fd = n;
            return this;
        }

        Usage memory(long n) {
            memory = n;
            return this;
        }

        ScopeStat stat() {
            return new ScopeStat(streamsIn, streamsOut, connsIn, connsOut, fd, memory);
        }
    }

    /** Asserts a scope's usage. */
    static void assertUsage(Usage expected, ResourceScope scope) {
        assertEquals(expected.stat(), scope.stat(), () -> "usage of " + scope.name());
    }

    /** The reference count of a scope handed out through the public API. */
    static int refs(ResourceScope scope) {
        return ((Scope) scope).refCount();
    }

    /** Every live scope by name, as the manager's snapshot reports it. */
    static Map<String, ScopeSnapshot> books(ResourceManager manager) {
        Map<String, ScopeSnapshot> books = new LinkedHashMap<>();
        for (ScopeSnapshot scope : manager.snapshot().scopes()) {
            books.put(scope.name(), scope);
        }
        return books;
    }

    /**
     * Asserts that no scope's usage differs between two sets of books. The only scopes allowed to
     * appear are long-lived ones created on the way to a refusal (a protocol scope, say, as in
     * go-libp2p), and they must hold nothing; no scope may disappear.
     */
    static void assertSameBooks(Map<String, ScopeSnapshot> before, Map<String, ScopeSnapshot> after) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            ScopeSnapshot was = before.get(name);
            ScopeSnapshot is = after.get(name);
            assertNotNull(is, () -> name + " disappeared; before " + before.values() + ", after " + after.values());
            if (was == null) {
                assertTrue(LONG_LIVED.contains(is.kind()), () -> "a new " + is.kind() + " scope " + name
                        + " appeared; after " + after.values());
            }
            ScopeStat expected = was == null ? ScopeStat.ZERO : was.usage();
            assertEquals(expected, is.usage(),
                    () -> "usage of " + name + " changed; before " + before.values() + ", after " + after.values());
        }
    }

    /** Runs {@code action}, expects a limit refusal and checks that it changed nobody's usage. */
    static ResourceLimitExceededException assertRefusedWithoutTrace(ResourceManager manager, Executable action) {
        Map<String, ScopeSnapshot> before = books(manager);
        ResourceLimitExceededException refusal = assertThrows(ResourceLimitExceededException.class, action);
        assertSameBooks(before, books(manager));
        return refusal;
    }

    /** Runs {@code action}, expects {@code type} and checks that it changed nobody's usage. */
    static <T extends Throwable> T assertThrowsWithoutTrace(ResourceManager manager, Class<T> type,
                                                            Executable action) {
        Map<String, ScopeSnapshot> before = books(manager);
        T thrown = assertThrows(type, action);
        assertSameBooks(before, books(manager));
        return thrown;
    }
}
