package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ProtocolId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * go-libp2p's {@code DefaultLimits} through the formula: the derived-values table of the
 * reference, number by number, and {@code SetDefaultServiceLimits}.
 */
class DefaultLimitsTest {

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** Streams in/out/total, conns in/out/total, FD, memory, as the reference's tables list them. */
    private static BaseLimit limit(long streamsIn, long streamsOut, long streams, long connsIn, long connsOut,
                                   long conns, long fd, long memory) {
        return BaseLimit.builder().streams(streamsIn, streamsOut, streams).conns(connsIn, connsOut, conns).fd(fd)
                .memory(memory).build();
    }

    /** Streams and memory only; connections and FD are 0, block-all. */
    private static BaseLimit streams(long in, long out, long total, long memory) {
        return limit(in, out, total, 0, 0, 0, 0, memory);
    }

    private static void assertAllScopes(ConcreteLimitConfig actual, BaseLimit system, BaseLimit transientLimit,
                                        BaseLimit serviceDefault, BaseLimit servicePeerDefault,
                                        BaseLimit protocolDefault, BaseLimit protocolPeerDefault,
                                        BaseLimit peerDefault, BaseLimit conn, BaseLimit stream) {
        assertAll(
                () -> assertEquals(system, actual.system(), "system"),
                () -> assertEquals(transientLimit, actual.transientLimit(), "transient"),
                () -> assertEquals(system, actual.allowlistedSystem(), "allowlisted system"),
                () -> assertEquals(transientLimit, actual.allowlistedTransient(), "allowlisted transient"),
                () -> assertEquals(serviceDefault, actual.serviceDefault(), "service default"),
                () -> assertEquals(servicePeerDefault, actual.servicePeerDefault(), "service-peer default"),
                () -> assertEquals(protocolDefault, actual.protocolDefault(), "protocol default"),
                () -> assertEquals(protocolPeerDefault, actual.protocolPeerDefault(), "protocol-peer default"),
                () -> assertEquals(peerDefault, actual.peerDefault(), "peer default"),
                () -> assertEquals(conn, actual.conn(), "conn"),
                () -> assertEquals(stream, actual.stream(), "stream"),
                () -> assertEquals(0, actual.service().size() + actual.servicePeer().size()
                        + actual.protocol().size() + actual.protocolPeer().size() + actual.peer().size(),
                        "no per-key entries"));
    }

    private static final BaseLimit CONN = limit(0, 0, 0, 1, 1, 1, 1, 32 * MIB);
    private static final BaseLimit STREAM = limit(1, 1, 1, 0, 0, 0, 0, 16 * MIB);

    @Nested
    class DerivedValues {

        @Test
        void baseColumn_atMost128MiB_noFdInformation() {
            for (long memory : List.of(0L, 1L, 64 * MIB, 128 * MIB)) {
                assertAllScopes(DefaultLimits.defaults().scale(memory, 0),
                        limit(1024, 2048, 2048, 64, 128, 128, 256, 128 * MIB),
                        limit(128, 256, 256, 32, 64, 64, 64, 32 * MIB),
                        streams(1024, 4096, 4096, 64 * MIB),
                        streams(128, 256, 256, 16 * MIB),
                        streams(512, 2048, 2048, 64 * MIB),
                        streams(64, 128, 256, 16 * MIB),
                        limit(256, 512, 512, 8, 8, 8, 4, 64 * MIB),
                        CONN, STREAM);
            }
        }

        @Test
        void oneGiBBudget_numFd4096() {
            assertAllScopes(DefaultLimits.defaults().scale(GIB, 4096),
                    limit(2048, 4096, 4096, 128, 256, 256, 4096, 1152 * MIB),
                    limit(256, 512, 512, 48, 96, 96, 1024, 160 * MIB),
                    streams(1536, 6144, 6144, 192 * MIB),
                    streams(132, 264, 264, 20 * MIB),
                    streams(768, 2560, 2560, 228 * MIB),
                    streams(68, 136, 272, 16 * MIB + 4),
                    limit(384, 768, 768, 8, 8, 8, 64, 192 * MIB),
                    CONN, STREAM);
        }

        @Test
        void eightGiBBudget_numFd16384_goSnapshotFixture() {
            assertAllScopes(DefaultLimits.defaults().scale(8 * GIB, 16384),
                    limit(9216, 18432, 18432, 576, 1152, 1152, 16384, 8320 * MIB),
                    limit(1152, 2304, 2304, 160, 320, 320, 4096, 1056 * MIB),
                    streams(5120, 20480, 20480, 1088 * MIB),
                    streams(160, 320, 320, 48 * MIB),
                    streams(2560, 6144, 6144, 1376 * MIB),
                    streams(96, 192, 384, 16 * MIB + 32),
                    limit(1280, 2560, 2560, 8, 8, 8, 256, 1088 * MIB),
                    CONN, STREAM);
        }

        @Test
        void the128MiBStep_129MiBAlreadyAddsAnEighthOfTheIncrease() {
            // mib = 129: each field gains floor(inc × 129 / 1024).
            assertAllScopes(DefaultLimits.defaults().scale(129 * MIB, 0),
                    limit(1024 + 129, 2048 + 258, 2048 + 258, 64 + 8, 128 + 16, 128 + 16, 256, 128 * MIB + 129 * MIB),
                    limit(128 + 16, 256 + 32, 256 + 32, 32 + 2, 64 + 4, 64 + 4, 64, 32 * MIB + 16 * MIB + 128 * KIB),
                    streams(1024 + 64, 4096 + 258, 4096 + 258, 64 * MIB + 16 * MIB + 128 * KIB),
                    streams(128, 256 + 1, 256 + 1, 16 * MIB + 516 * KIB),
                    streams(512 + 32, 2048 + 64, 2048 + 64, 64 * MIB + 20 * MIB + 676 * KIB),
                    streams(64, 128 + 1, 256 + 2, 16 * MIB),
                    limit(256 + 16, 512 + 32, 512 + 32, 8, 8, 8, 4, 64 * MIB + 16 * MIB + 128 * KIB),
                    CONN, STREAM);
            assertEquals(DefaultLimits.defaults().scale(128 * MIB, 0), DefaultLimits.defaults().scale(0, 0));
        }

        @Test
        void theFdFloorIsTheBaseWhenTheFdBudgetIsSmall() {
            ConcreteLimitConfig limits = DefaultLimits.defaults().scale(GIB, 100);

            assertEquals(256, limits.system().fd().capacity());
            assertEquals(64, limits.transientLimit().fd().capacity());
            assertEquals(4, limits.peerDefault().fd().capacity());
        }
    }

    @Test
    void protocolPeerMemoryIncreaseIsFourBytesAsInGo() {
        assertEquals(4, DefaultLimits.defaults().protocolPeerDefault().increase().memory());
    }

    @Test
    void allowlistedScopesEqualTheOrdinaryOnes() {
        ScalingLimitConfig defaults = DefaultLimits.defaults();

        assertEquals(defaults.system(), defaults.allowlistedSystem());
        assertEquals(defaults.transientLimit(), defaults.allowlistedTransient());
    }

    @Test
    void defaultsIsOneImmutableValue() {
        assertSame(DefaultLimits.defaults(), DefaultLimits.defaults());
    }

    @Nested
    class DefaultServiceLimits {

        private static final long LARGE = 32 * (256 * MIB + 16 * KIB);

        private final ScalingLimitConfig config = DefaultLimits.withDefaultServiceLimits(DefaultLimits.defaults());

        @Test
        void theKeysAreGosAndTheDefaultsAreUntouched() {
            assertEquals(Set.of("libp2p.identify", "libp2p.ping", "libp2p.autonat", "libp2p.holepunch",
                    "libp2p.relay/v2"), config.service().keySet());
            assertEquals(config.service().keySet(), config.servicePeer().keySet());
            Set<ProtocolId> protocols = Set.of(ProtocolId.of("/ipfs/id/1.0.0"), ProtocolId.of("/ipfs/id/push/1.0.0"),
                    ProtocolId.of("/ipfs/ping/1.0.0"), ProtocolId.of("/libp2p/autonat/1.0.0"),
                    ProtocolId.of("/libp2p/dcutr"), ProtocolId.of("/libp2p/circuit/relay/0.2.0/hop"),
                    ProtocolId.of("/libp2p/circuit/relay/0.2.0/stop"));
            assertEquals(protocols, config.protocol().keySet());
            assertEquals(protocols, config.protocolPeer().keySet());
            assertEquals(DefaultLimits.defaults(), config.toBuilder()
                    .removeServiceLimit("libp2p.identify").removeServiceLimit("libp2p.ping")
                    .removeServiceLimit("libp2p.autonat").removeServiceLimit("libp2p.holepunch")
                    .removeServiceLimit("libp2p.relay/v2")
                    .removeServicePeerLimit("libp2p.identify").removeServicePeerLimit("libp2p.ping")
                    .removeServicePeerLimit("libp2p.autonat").removeServicePeerLimit("libp2p.holepunch")
                    .removeServicePeerLimit("libp2p.relay/v2")
                    .build().toBuilder()
                    .removeProtocolLimit(ProtocolId.of("/ipfs/id/1.0.0"))
                    .removeProtocolLimit(ProtocolId.of("/ipfs/id/push/1.0.0"))
                    .removeProtocolLimit(ProtocolId.of("/ipfs/ping/1.0.0"))
                    .removeProtocolLimit(ProtocolId.of("/libp2p/autonat/1.0.0"))
                    .removeProtocolLimit(ProtocolId.of("/libp2p/dcutr"))
                    .removeProtocolLimit(ProtocolId.of("/libp2p/circuit/relay/0.2.0/hop"))
                    .removeProtocolLimit(ProtocolId.of("/libp2p/circuit/relay/0.2.0/stop"))
                    .removeProtocolPeerLimit(ProtocolId.of("/ipfs/id/1.0.0"))
                    .removeProtocolPeerLimit(ProtocolId.of("/ipfs/id/push/1.0.0"))
                    .removeProtocolPeerLimit(ProtocolId.of("/ipfs/ping/1.0.0"))
                    .removeProtocolPeerLimit(ProtocolId.of("/libp2p/autonat/1.0.0"))
                    .removeProtocolPeerLimit(ProtocolId.of("/libp2p/dcutr"))
                    .removeProtocolPeerLimit(ProtocolId.of("/libp2p/circuit/relay/0.2.0/hop"))
                    .removeProtocolPeerLimit(ProtocolId.of("/libp2p/circuit/relay/0.2.0/stop"))
                    .build());
        }

        @Test
        void atTheBase() {
            ConcreteLimitConfig limits = config.scale(0, 0);

            assertEquals(streams(64, 64, 128, 4 * MIB), limits.serviceLimit("libp2p.identify"));
            assertEquals(streams(16, 16, 32, MIB), limits.servicePeerLimit("libp2p.identify"));
            assertEquals(streams(16, 16, 32, LARGE), limits.protocolPeerLimit(ProtocolId.of("/ipfs/id/push/1.0.0")));
            assertEquals(streams(2, 3, 4, LARGE), limits.servicePeerLimit("libp2p.ping"));
            assertEquals(streams(2, 3, 4, LARGE), limits.protocolPeerLimit(ProtocolId.of("/ipfs/ping/1.0.0")));
            assertEquals(streams(2, 2, 2, MIB), limits.protocolPeerLimit(ProtocolId.of("/libp2p/autonat/1.0.0")));
            assertEquals(streams(64, 64, 64, MIB), limits.servicePeerLimit("libp2p.relay/v2"));
            assertEquals(streams(128, 128, 128, 32 * MIB),
                    limits.protocolPeerLimit(ProtocolId.of("/libp2p/circuit/relay/0.2.0/stop")));
        }

        @Test
        void atOneGiB() {
            ConcreteLimitConfig limits = config.scale(GIB, 4096);

            assertEquals(streams(128, 128, 256, 8 * MIB), limits.serviceLimit("libp2p.identify"));
            assertEquals(streams(128, 128, 256, 8 * MIB), limits.protocolLimit(ProtocolId.of("/ipfs/id/1.0.0")));
            assertEquals(streams(128, 128, 128, 8 * MIB), limits.serviceLimit("libp2p.ping"));
            assertEquals(streams(68, 68, 68, 6 * MIB), limits.protocolLimit(ProtocolId.of("/libp2p/autonat/1.0.0")));
            assertEquals(streams(40, 40, 80, 8 * MIB), limits.serviceLimit("libp2p.holepunch"));
            assertEquals(streams(512, 512, 512, 32 * MIB), limits.serviceLimit("libp2p.relay/v2"));
            // The per-peer entries do not grow.
            assertEquals(streams(16, 16, 32, MIB), limits.servicePeerLimit("libp2p.identify"));
            assertEquals(streams(2, 2, 2, MIB), limits.servicePeerLimit("libp2p.holepunch"));
        }

        @Test
        void atEightGiB() {
            ConcreteLimitConfig limits = config.scale(8 * GIB, 16384);

            assertEquals(streams(96, 96, 96, 20 * MIB), limits.serviceLimit("libp2p.autonat"));
            assertEquals(streams(96, 96, 192, 36 * MIB), limits.protocolLimit(ProtocolId.of("/libp2p/dcutr")));
            assertEquals(streams(5760, 5760, 5760, 144 * MIB),
                    limits.protocolLimit(ProtocolId.of("/libp2p/circuit/relay/0.2.0/hop")));
            assertEquals(streams(2, 3, 4, LARGE), limits.servicePeerLimit("libp2p.ping"));
        }

        @Test
        void unlistedKeysFallBackToTheDefaults() {
            ConcreteLimitConfig limits = config.scale(GIB, 4096);

            assertEquals(limits.serviceDefault(), limits.serviceLimit("my.service"));
            assertEquals(streams(1536, 6144, 6144, 192 * MIB), limits.serviceLimit("my.service"));
            assertEquals(limits.protocolPeerDefault(), limits.protocolPeerLimit(ProtocolId.of("/my/1.0.0")));
        }

        @Test
        void existingEntriesForTheSameKeysAreReplaced() {
            ScalingLimitConfig mine = DefaultLimits.defaults().toBuilder()
                    .addServiceLimit("libp2p.ping", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .addServiceLimit("mine", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .build();

            ScalingLimitConfig withServices = DefaultLimits.withDefaultServiceLimits(mine);

            assertEquals(config.service().get("libp2p.ping"), withServices.service().get("libp2p.ping"));
            assertEquals(ScopeScaling.unscaled(BaseLimit.UNLIMITED), withServices.service().get("mine"));
        }

        @Test
        void nullIsRejected() {
            assertThrows(NullPointerException.class, () -> DefaultLimits.withDefaultServiceLimits(null));
        }
    }
}
