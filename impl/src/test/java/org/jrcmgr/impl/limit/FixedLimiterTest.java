package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.junit.jupiter.api.Test;

class FixedLimiterTest {

    private static BaseLimit memory(long bytes) {
        return BaseLimit.builder().memory(bytes).build();
    }

    private static final ProtocolId PING = ProtocolId.of("/ipfs/ping/1.0.0");
    private static final ProtocolId OTHER = ProtocolId.of("/other/1.0.0");
    private static final PeerId KNOWN = PeerId.random();

    private final ConcreteLimitConfig config = ConcreteLimitConfig.infinite().toBuilder()
            .system(memory(1)).transientLimit(memory(2)).allowlistedSystem(memory(3)).allowlistedTransient(memory(4))
            .serviceDefault(memory(10)).service("svc", memory(11))
            .servicePeerDefault(memory(20)).servicePeer("svc", memory(21))
            .protocolDefault(memory(30)).protocol(PING, memory(31))
            .protocolPeerDefault(memory(40)).protocolPeer(PING, memory(41))
            .peerDefault(memory(50)).peer(KNOWN, memory(51))
            .conn(memory(60)).stream(memory(70))
            .build();

    private final FixedLimiter limiter = new FixedLimiter(config);

    @Test
    void singletonScopes() {
        assertEquals(memory(1), limiter.systemLimits());
        assertEquals(memory(2), limiter.transientLimits());
        assertEquals(memory(3), limiter.allowlistedSystemLimits());
        assertEquals(memory(4), limiter.allowlistedTransientLimits());
        assertEquals(memory(60), limiter.connLimits());
    }

    @Test
    void perKeyEntryElseDefault() {
        assertEquals(memory(11), limiter.serviceLimits("svc"));
        assertEquals(memory(10), limiter.serviceLimits("other"));
        assertEquals(memory(21), limiter.servicePeerLimits("svc"));
        assertEquals(memory(20), limiter.servicePeerLimits("other"));
        assertEquals(memory(31), limiter.protocolLimits(PING));
        assertEquals(memory(30), limiter.protocolLimits(OTHER));
        assertEquals(memory(41), limiter.protocolPeerLimits(PING));
        assertEquals(memory(40), limiter.protocolPeerLimits(OTHER));
        assertEquals(memory(51), limiter.peerLimits(KNOWN));
        assertEquals(memory(50), limiter.peerLimits(PeerId.random()));
    }

    @Test
    void everyStreamSharesTheStreamLimitWhateverThePeer() {
        assertEquals(memory(70), limiter.streamLimits(KNOWN));
        assertEquals(memory(70), limiter.streamLimits(PeerId.random()));
    }

    @Test
    void theDefaultHostConfiguration() {
        FixedLimiter host = new FixedLimiter(
                DefaultLimits.withDefaultServiceLimits(DefaultLimits.defaults()).scale(0, 0));

        assertEquals(BaseLimit.builder().streams(2, 3, 4).memory(32 * ((256L << 20) + (16L << 10))).build(),
                host.protocolPeerLimits(PING));
        assertEquals(BaseLimit.builder().streams(512, 2048, 2048).memory(64L << 20).build(),
                host.protocolLimits(OTHER));
        assertEquals(host.config().stream(), host.streamLimits(KNOWN));
    }

    @Test
    void nullsAreRejected() {
        assertEquals("config", assertThrows(NullPointerException.class, () -> new FixedLimiter(null)).getMessage());
        assertThrows(NullPointerException.class, () -> limiter.serviceLimits(null));
        assertThrows(NullPointerException.class, () -> limiter.protocolPeerLimits(null));
        assertThrows(NullPointerException.class, () -> limiter.peerLimits(null));
        assertThrows(NullPointerException.class, () -> limiter.streamLimits(null));
    }
}
