package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jrcmgr.spi.ResourceManagerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NullResourceManagerTest {

    private static final NullResourceManager RCMGR = NullResourceManager.INSTANCE;
    private static final PeerId PEER = PeerId.random();
    private static final ProtocolId PING = ProtocolId.of("/ipfs/ping/1.0.0");

    private static Multiaddr endpoint() {
        return Multiaddr.parse("/ip4/192.0.2.7/tcp/4001");
    }

    /** One scope of every kind the null manager hands out. */
    static Stream<Arguments> everyScope() {
        List<Arguments> scopes = new ArrayList<>();
        add(scopes, "system", () -> RCMGR.viewSystem(s -> s));
        add(scopes, "transient", () -> RCMGR.viewTransient(s -> s));
        add(scopes, "service", () -> RCMGR.viewService("svc", s -> s));
        add(scopes, "protocol", () -> RCMGR.viewProtocol(PING, s -> s));
        add(scopes, "peer", () -> RCMGR.viewPeer(PEER, s -> s));
        add(scopes, "connection", () -> RCMGR.openConnection(Direction.INBOUND, true, endpoint()));
        add(scopes, "connection's peer", () -> RCMGR.openConnection(Direction.OUTBOUND, false, endpoint())
                .peerScope().orElseThrow());
        add(scopes, "stream", () -> RCMGR.openStream(PEER, Direction.INBOUND));
        add(scopes, "stream's peer", () -> RCMGR.openStream(PEER, Direction.OUTBOUND).peerScope());
        add(scopes, "stream's protocol", () -> RCMGR.openStream(PEER, Direction.OUTBOUND).protocolScope().orElseThrow());
        add(scopes, "stream's service", () -> RCMGR.openStream(PEER, Direction.OUTBOUND).serviceScope().orElseThrow());
        add(scopes, "span", () -> RCMGR.viewSystem(ResourceScope::beginSpan));
        add(scopes, "nested span", () -> RCMGR.openStream(PEER, Direction.UNKNOWN).beginSpan().beginSpan());
        return scopes.stream();
    }

    private static void add(List<Arguments> scopes, String kind, Supplier<ResourceScope> scope) {
        scopes.add(Arguments.of(kind, scope.get()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyScope")
    void everyScopeAdmitsEverythingAndHoldsNothing(String kind, ResourceScope scope) {
        assertEquals("null", scope.name());
        assertEquals("null", scope.toString());
        scope.reserveMemory(Long.MAX_VALUE, ReservationPriority.ALWAYS);
        scope.reserveMemory(Long.MAX_VALUE, ReservationPriority.of(0));
        scope.reserveMemory(0, ReservationPriority.LOW);
        assertTrue(scope.tryReserveMemory(Long.MAX_VALUE, ReservationPriority.LOW));
        scope.releaseMemory(Long.MAX_VALUE);
        scope.releaseMemory(0);
        assertSame(ScopeStat.ZERO, scope.stat());
        assertSame(BaseLimit.UNLIMITED, scope.limit());
        try (ResourceScopeSpan span = scope.beginSpan()) {
            span.reserveMemory(1 << 20, ReservationPriority.HIGH);
            assertSame(ScopeStat.ZERO, span.stat());
            assertSame(ScopeStat.ZERO, scope.stat());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyScope")
    void everyScopeValidatesItsArguments(String kind, ResourceScope scope) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scope.reserveMemory(-1, ReservationPriority.ALWAYS));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> scope.reserveMemory(Long.MIN_VALUE, ReservationPriority.LOW));
        assertThrows(IllegalArgumentException.class, () -> scope.tryReserveMemory(-5, ReservationPriority.ALWAYS));
        e = assertThrows(IllegalArgumentException.class, () -> scope.releaseMemory(-7));
        assertTrue(e.getMessage().contains("-7"), e.getMessage());
        assertThrows(NullPointerException.class, () -> scope.reserveMemory(1, null));
        assertThrows(NullPointerException.class, () -> scope.tryReserveMemory(1, null));
    }

    @Test
    void isASingletonAndNoProvider() {
        assertSame(NullResourceManager.INSTANCE, NullResourceManager.INSTANCE);
        assertEquals("NullResourceManager", RCMGR.toString());
        // Opting out of limits must be explicit, so ServiceLoader must never be able to pick it.
        assertFalse(ResourceManagerProvider.class.isAssignableFrom(NullResourceManager.class));
        assertTrue(ResourceManagers.providers().stream()
                .noneMatch(d -> d.className().startsWith(NullResourceManager.class.getName())));
    }

    @Test
    void connectionsAreAdmittedInEveryDirection() {
        for (Direction direction : Direction.values()) {
            for (boolean usesFd : new boolean[] {true, false}) {
                ConnManagementScope conn = RCMGR.openConnection(direction, usesFd, endpoint());
                assertNotNull(conn);
                assertFalse(conn.isDone());
                assertSame(ScopeStat.ZERO, conn.stat());
                conn.done();
            }
        }
    }

    @Test
    void connectionPeerScopeIsAlwaysPresentAndLearnsThePeer() {
        ConnManagementScope conn = RCMGR.openConnection(Direction.INBOUND, true, endpoint());
        PeerScope before = conn.peerScope().orElseThrow();
        assertEquals("null", before.name());
        IllegalStateException e = assertThrows(IllegalStateException.class, before::peer);
        assertTrue(e.getMessage().contains("setPeer"), e.getMessage());

        conn.setPeer(PEER);
        assertEquals(PEER, conn.peerScope().orElseThrow().peer());
        // The null manager never refuses, not even a second setPeer.
        PeerId other = PeerId.random();
        conn.setPeer(other);
        assertEquals(other, conn.peerScope().orElseThrow().peer());
        assertThrows(NullPointerException.class, () -> conn.setPeer(null));
        conn.done();
    }

    @Test
    void streamScopesAreAlwaysPresentAndLearnProtocolAndService() {
        StreamManagementScope stream = RCMGR.openStream(PEER, Direction.OUTBOUND);
        assertEquals(PEER, stream.peerScope().peer());
        assertEquals("null", stream.protocolScope().orElseThrow().name());
        assertEquals("null", stream.serviceScope().orElseThrow().name());
        assertThrows(IllegalStateException.class, () -> stream.protocolScope().orElseThrow().protocol());
        assertThrows(IllegalStateException.class, () -> stream.serviceScope().orElseThrow().serviceName());

        // Go's null scope accepts a service before a protocol; so does this one.
        stream.setService("identify");
        assertEquals("identify", stream.serviceScope().orElseThrow().serviceName());
        stream.setProtocol(PING);
        assertEquals(PING, stream.protocolScope().orElseThrow().protocol());

        assertThrows(NullPointerException.class, () -> stream.setProtocol(null));
        assertThrows(NullPointerException.class, () -> stream.setService(null));
        stream.done();
        assertTrue(stream.isDone());
    }

    @Test
    void spansRecordDoneAndKeepAdmittingAfterwards() {
        ResourceScopeSpan span = RCMGR.viewTransient(ResourceScope::beginSpan);
        ResourceScopeSpan child = span.beginSpan();
        assertFalse(span.isDone());
        span.done();
        assertTrue(span.isDone());
        assertFalse(child.isDone(), "each span is done on its own");
        span.done();
        assertTrue(span.isDone());
        assertDoesNotThrow(() -> span.reserveMemory(10, ReservationPriority.ALWAYS));
        assertNotNull(span.beginSpan());
        child.close();
        assertTrue(child.isDone());
    }

    @Test
    void spansAreDistinctObjects() {
        ResourceScopeSpan a = RCMGR.viewSystem(ResourceScope::beginSpan);
        ResourceScopeSpan b = RCMGR.viewSystem(ResourceScope::beginSpan);
        a.done();
        assertFalse(b.isDone());
    }

    @Test
    void viewsRunTheCallbackWithAScopeOfTheRightIdentity() {
        assertEquals("system-result", RCMGR.viewSystem(s -> "system-result"));
        assertEquals(Integer.valueOf(42), RCMGR.<Integer>viewTransient(s -> 42));
        assertEquals("svc", RCMGR.viewService("svc", ServiceScope::serviceName));
        assertEquals(PING, RCMGR.viewProtocol(PING, ProtocolScope::protocol));
        assertEquals(PEER, RCMGR.viewPeer(PEER, PeerScope::peer));
        AtomicReference<ResourceScope> seen = new AtomicReference<>();
        assertNull(RCMGR.<Object>viewSystem(s -> {
            seen.set(s);
            return null;
        }));
        assertSame(ScopeStat.ZERO, seen.get().stat());
    }

    @Test
    void viewsRejectNullArguments() {
        assertThrows(NullPointerException.class, () -> RCMGR.viewSystem(null));
        assertThrows(NullPointerException.class, () -> RCMGR.viewTransient(null));
        assertThrows(NullPointerException.class, () -> RCMGR.viewService(null, s -> s));
        assertThrows(NullPointerException.class, () -> RCMGR.viewService("svc", null));
        assertThrows(NullPointerException.class, () -> RCMGR.viewProtocol(null, s -> s));
        assertThrows(NullPointerException.class, () -> RCMGR.viewProtocol(PING, null));
        assertThrows(NullPointerException.class, () -> RCMGR.viewPeer(null, s -> s));
        assertThrows(NullPointerException.class, () -> RCMGR.viewPeer(PEER, null));
    }

    @Test
    void managerMethodsRejectNullArguments() {
        Multiaddr endpoint = endpoint();
        assertThrows(NullPointerException.class, () -> RCMGR.openConnection(null, true, endpoint));
        assertThrows(NullPointerException.class, () -> RCMGR.openConnection(Direction.INBOUND, true, null));
        assertThrows(NullPointerException.class, () -> RCMGR.openStream(null, Direction.INBOUND));
        assertThrows(NullPointerException.class, () -> RCMGR.openStream(PEER, null));
        assertThrows(NullPointerException.class, () -> RCMGR.verifySourceAddress(null));
    }

    @Test
    void neverAsksForSourceAddressVerification() {
        for (int i = 0; i < 1000; i++) {
            assertFalse(RCMGR.verifySourceAddress(new InetSocketAddress("192.0.2.1", 4001)));
        }
    }

    @Test
    void snapshotHoldsNoScope() {
        Instant before = Instant.now();
        ResourceSnapshot snapshot = RCMGR.snapshot();
        assertEquals(List.of(), snapshot.scopes());
        assertFalse(snapshot.takenAt().isBefore(before));
        assertTrue(Duration.between(snapshot.takenAt(), Instant.now()).toSeconds() < 60);
        assertTrue(snapshot.scope("system").isEmpty());
    }

    @Test
    void statsStayZeroUnderLoad() {
        List<ResourceScopeSpan> open = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ConnManagementScope conn = RCMGR.openConnection(Direction.INBOUND, true, endpoint());
            conn.setPeer(PEER);
            conn.reserveMemory(1 << 20, ReservationPriority.ALWAYS);
            StreamManagementScope stream = RCMGR.openStream(PEER, Direction.OUTBOUND);
            stream.setProtocol(PING);
            stream.setService("svc");
            open.add(conn);
            open.add(stream);
        }
        assertTrue(RCMGR.viewSystem(ResourceScope::stat).isZero());
        assertTrue(RCMGR.viewTransient(ResourceScope::stat).isZero());
        assertTrue(RCMGR.viewPeer(PEER, ResourceScope::stat).isZero());
        assertTrue(RCMGR.viewProtocol(PING, ResourceScope::stat).isZero());
        assertTrue(RCMGR.viewService("svc", ResourceScope::stat).isZero());
        open.forEach(ResourceScopeSpan::done);
    }

    @Test
    void closeChangesNothing() {
        RCMGR.close();
        RCMGR.close();
        ConnManagementScope conn = RCMGR.openConnection(Direction.OUTBOUND, false, endpoint());
        assertFalse(conn.isDone());
        assertNotNull(RCMGR.openStream(PEER, Direction.INBOUND));
        try (ResourceManager shared = NullResourceManager.INSTANCE) {
            assertSame(RCMGR, shared);
        }
        assertNotNull(RCMGR.openConnection(Direction.INBOUND, true, endpoint()));
    }
}
