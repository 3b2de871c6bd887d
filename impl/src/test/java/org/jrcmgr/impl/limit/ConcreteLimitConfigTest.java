package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.junit.jupiter.api.Test;

class ConcreteLimitConfigTest {

    private static final BaseLimit SMALL = BaseLimit.builder().streams(1, 1, 1).memory(1024).build();
    private static final BaseLimit LARGE = BaseLimit.builder().streams(100, 100, 100).memory(1 << 20).build();

    private static ConcreteLimitConfig withService(Map<String, BaseLimit> service) {
        ConcreteLimitConfig i = ConcreteLimitConfig.infinite();
        return new ConcreteLimitConfig(i.system(), i.transientLimit(), i.allowlistedSystem(),
                i.allowlistedTransient(), i.serviceDefault(), service, i.servicePeerDefault(), i.servicePeer(),
                i.protocolDefault(), i.protocol(), i.protocolPeerDefault(), i.protocolPeer(), i.peerDefault(),
                i.peer(), i.conn(), i.stream());
    }

    @Test
    void infiniteIsUnlimitedEverywhere() {
        ConcreteLimitConfig infinite = ConcreteLimitConfig.infinite();

        for (BaseLimit limit : List.of(infinite.system(), infinite.transientLimit(), infinite.allowlistedSystem(),
                infinite.allowlistedTransient(), infinite.serviceDefault(), infinite.servicePeerDefault(),
                infinite.protocolDefault(), infinite.protocolPeerDefault(), infinite.peerDefault(), infinite.conn(),
                infinite.stream())) {
            assertSame(BaseLimit.UNLIMITED, limit);
        }
        assertTrue(infinite.service().isEmpty() && infinite.servicePeer().isEmpty() && infinite.protocol().isEmpty()
                && infinite.protocolPeer().isEmpty() && infinite.peer().isEmpty());
        assertEquals(BaseLimit.UNLIMITED, infinite.peerLimit(PeerId.random()));
    }

    @Test
    void theBuilderChangesOneScopeAndKeepsTheRest() {
        ConcreteLimitConfig base = DefaultLimits.defaults().scale(1L << 30, 4096);

        ConcreteLimitConfig changed = base.toBuilder().system(SMALL).build();

        assertEquals(SMALL, changed.system());
        assertEquals(base, changed.toBuilder().system(base.system()).build());
        assertEquals(base, ConcreteLimitConfig.builder(base).build());
    }

    @Test
    void everySingletonSetterSetsItsScope() {
        ConcreteLimitConfig c = ConcreteLimitConfig.infinite().toBuilder()
                .system(SMALL).transientLimit(SMALL).allowlistedSystem(SMALL).allowlistedTransient(SMALL)
                .serviceDefault(SMALL).servicePeerDefault(SMALL).protocolDefault(SMALL).protocolPeerDefault(SMALL)
                .peerDefault(SMALL).conn(SMALL).stream(SMALL)
                .build();

        for (BaseLimit limit : List.of(c.system(), c.transientLimit(), c.allowlistedSystem(),
                c.allowlistedTransient(), c.serviceDefault(), c.servicePeerDefault(), c.protocolDefault(),
                c.protocolPeerDefault(), c.peerDefault(), c.conn(), c.stream())) {
            assertEquals(SMALL, limit);
        }
    }

    @Test
    void lookupsUseTheEntryElseTheDefault() {
        ProtocolId known = ProtocolId.of("/known");
        ProtocolId unknown = ProtocolId.of("/unknown");
        PeerId knownPeer = PeerId.random();
        ConcreteLimitConfig c = ConcreteLimitConfig.infinite().toBuilder()
                .serviceDefault(LARGE).servicePeerDefault(LARGE).protocolDefault(LARGE).protocolPeerDefault(LARGE)
                .peerDefault(LARGE)
                .service("known", SMALL).servicePeer("known", SMALL).protocol(known, SMALL)
                .protocolPeer(known, SMALL).peer(knownPeer, SMALL)
                .build();

        assertEquals(SMALL, c.serviceLimit("known"));
        assertEquals(LARGE, c.serviceLimit("unknown"));
        assertEquals(SMALL, c.servicePeerLimit("known"));
        assertEquals(LARGE, c.servicePeerLimit("unknown"));
        assertEquals(SMALL, c.protocolLimit(known));
        assertEquals(LARGE, c.protocolLimit(unknown));
        assertEquals(SMALL, c.protocolPeerLimit(known));
        assertEquals(LARGE, c.protocolPeerLimit(unknown));
        assertEquals(SMALL, c.peerLimit(knownPeer));
        assertEquals(SMALL, c.peerLimit(PeerId.fromString(knownPeer.toBase58())));
        assertEquals(LARGE, c.peerLimit(PeerId.random()));
    }

    @Test
    void removeFallsBackToTheDefault() {
        ProtocolId proto = ProtocolId.of("/p");
        PeerId peer = PeerId.random();
        ConcreteLimitConfig with = ConcreteLimitConfig.infinite().toBuilder()
                .service("s", SMALL).servicePeer("s", SMALL).protocol(proto, SMALL).protocolPeer(proto, SMALL)
                .peer(peer, SMALL)
                .build();

        ConcreteLimitConfig without = with.toBuilder()
                .removeService("s").removeServicePeer("s").removeProtocol(proto).removeProtocolPeer(proto)
                .removePeer(peer)
                .build();

        assertEquals(ConcreteLimitConfig.infinite(), without);
        assertEquals(SMALL, with.serviceLimit("s"));
    }

    @Test
    void theBuilderDoesNotAffectBuiltConfigs() {
        ConcreteLimitConfig.Builder builder = ConcreteLimitConfig.infinite().toBuilder().service("a", SMALL);
        ConcreteLimitConfig first = builder.build();

        builder.service("b", SMALL).system(SMALL);

        assertEquals(Map.of("a", SMALL), first.service());
        assertEquals(BaseLimit.UNLIMITED, first.system());
        assertEquals(ConcreteLimitConfig.infinite(), ConcreteLimitConfig.infinite().toBuilder().build());
    }

    @Test
    void mapsAreUnmodifiableCopiesInTheGivenOrder() {
        Map<String, BaseLimit> source = new LinkedHashMap<>();
        source.put("z", SMALL);
        source.put("a", LARGE);
        ConcreteLimitConfig c = withService(source);

        source.put("m", SMALL);

        assertEquals(List.of("z", "a"), List.copyOf(c.service().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> c.service().put("x", SMALL));
        assertThrows(UnsupportedOperationException.class, () -> c.peer().clear());
    }

    @Test
    void nullsAreRejectedWithAMessage() {
        ConcreteLimitConfig.Builder b = ConcreteLimitConfig.infinite().toBuilder();

        assertEquals("system", assertThrows(NullPointerException.class, () -> b.system(null)).getMessage());
        assertEquals("transientLimit",
                assertThrows(NullPointerException.class, () -> b.transientLimit(null)).getMessage());
        assertEquals("stream", assertThrows(NullPointerException.class, () -> b.stream(null)).getMessage());
        assertEquals("service name",
                assertThrows(NullPointerException.class, () -> b.service(null, SMALL)).getMessage());
        assertEquals("service limit",
                assertThrows(NullPointerException.class, () -> b.service("s", null)).getMessage());
        assertEquals("peer id", assertThrows(NullPointerException.class, () -> b.peer(null, SMALL)).getMessage());
        assertEquals("from",
                assertThrows(NullPointerException.class, () -> ConcreteLimitConfig.builder(null)).getMessage());

        assertEquals("name", assertThrows(NullPointerException.class,
                () -> ConcreteLimitConfig.infinite().serviceLimit(null)).getMessage());
        assertEquals("id", assertThrows(NullPointerException.class,
                () -> ConcreteLimitConfig.infinite().peerLimit(null)).getMessage());
    }

    @Test
    void theConstructorNamesTheNullComponent() {
        assertEquals("service", assertThrows(NullPointerException.class, () -> withService(null)).getMessage());

        Map<String, BaseLimit> nullValue = new HashMap<>();
        nullValue.put("s", null);
        assertEquals("service must not map s to null",
                assertThrows(NullPointerException.class, () -> withService(nullValue)).getMessage());

        Map<String, BaseLimit> nullKey = new HashMap<>();
        nullKey.put(null, SMALL);
        assertEquals("service must not contain a null key",
                assertThrows(NullPointerException.class, () -> withService(nullKey)).getMessage());

        ConcreteLimitConfig i = ConcreteLimitConfig.infinite();
        NullPointerException e = assertThrows(NullPointerException.class, () -> new ConcreteLimitConfig(
                i.system(), null, i.allowlistedSystem(), i.allowlistedTransient(), i.serviceDefault(), i.service(),
                i.servicePeerDefault(), i.servicePeer(), i.protocolDefault(), i.protocol(), i.protocolPeerDefault(),
                i.protocolPeer(), i.peerDefault(), i.peer(), i.conn(), i.stream()));
        assertEquals("transientLimit", e.getMessage());
    }
}
