package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** go-libp2p's {@code TestScaling} and {@code TestReadmeExample}, plus the Java-side decisions. */
class ScalingLimitConfigTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private static final BaseLimit BASE = BaseLimit.builder()
            .streams(200, 400, 100)
            .conns(20, 40, 10)
            .fd(1)
            .memory(MIB)
            .build();

    private static final BaseLimitIncrease INCREASE = BaseLimitIncrease.builder()
            .streams(2, 3, 1)
            .conns(5, 6, 4)
            .memory(7)
            .fdFraction(0.5)
            .build();

    private static long capacity(LimitValue value) {
        return value.capacity();
    }

    @Nested
    class GoTestScaling {

        @Test
        void noScalingIfNoIncreaseIsDefined() {
            ScalingLimitConfig cfg = ScalingLimitConfig.builder().serviceDefault(ScopeScaling.unscaled(BASE)).build();

            ConcreteLimitConfig scaled = cfg.scale(8 * GIB, 100);

            assertEquals(BASE, scaled.serviceDefault());
        }

        @Test
        void scalingAddsFourTimesTheIncreaseAtFourGiBPlus128MiB() {
            ScalingLimitConfig cfg = ScalingLimitConfig.builder().transientLimit(BASE, INCREASE).build();

            // 4 GiB + 128 MiB is 4224 MiB, 4.125 GiB: the floor keeps 4 × each increase.
            BaseLimit scaled = cfg.scale(128 * MIB + 4 * GIB, 1000).transientLimit();

            assertEquals(500, capacity(scaled.fd()), "FD = fdFraction × numFd");
            assertEquals(100 + 4, capacity(scaled.streams()));
            assertEquals(200 + 4 * 2, capacity(scaled.streamsInbound()));
            assertEquals(400 + 4 * 3, capacity(scaled.streamsOutbound()));
            assertEquals(10 + 4 * 4, capacity(scaled.conns()));
            assertEquals(20 + 4 * 5, capacity(scaled.connsInbound()));
            assertEquals(40 + 4 * 6, capacity(scaled.connsOutbound()));
            assertEquals(MIB + 4 * 7, capacity(scaled.memory()));
        }

        @Test
        void tinyMemoryKeepsTheBaseAndTheBaseFdIsAFloor() {
            ScalingLimitConfig cfg = ScalingLimitConfig.builder()
                    .transientLimit(BASE, INCREASE.toBuilder().fdFraction(0.01).build())
                    .build();

            BaseLimit scaled = cfg.scale(1, 10).transientLimit();

            // 0.01 × 10 truncates to 0, below the base of 1.
            assertEquals(1, capacity(scaled.fd()));
            assertEquals(BASE, scaled);
        }

        @Test
        void perKeyEntriesAreScaledWithTheirOwnBaseAndIncrease() {
            ScalingLimitConfig cfg = ScalingLimitConfig.builder()
                    .addServiceLimit("A", BaseLimit.builder().streams(0, 0, 10).memory(100).fd(9).build(),
                            BaseLimitIncrease.NONE)
                    .addServiceLimit("B", BaseLimit.builder().streams(0, 0, 20).memory(200).fd(10).build(),
                            BaseLimitIncrease.builder().streams(0, 0, 2).memory(3).fdFraction(0.4).build())
                    .build();

            Map<String, BaseLimit> scaled = cfg.scale(128 * MIB + 4 * GIB, 1000).service();

            assertEquals(2, scaled.size());
            assertEquals(10, capacity(scaled.get("A").streams()));
            assertEquals(100, capacity(scaled.get("A").memory()));
            assertEquals(9, capacity(scaled.get("A").fd()));
            assertEquals(20 + 4 * 2, capacity(scaled.get("B").streams()));
            assertEquals(200 + 4 * 3, capacity(scaled.get("B").memory()));
            assertEquals(400, capacity(scaled.get("B").fd()));
        }
    }

    @Test
    void goTestReadmeExample() {
        ScalingLimitConfig cfg = ScalingLimitConfig.builder()
                .system(BaseLimit.builder().conns(64, 128, 128).streams(512, 1024, 1024).memory(128 * MIB).fd(256)
                                .build(),
                        BaseLimitIncrease.builder().conns(32, 64, 64).streams(256, 512, 512).memory(256 * MIB)
                                .fdFraction(1).build())
                .build();

        ConcreteLimitConfig limits = cfg.scale(4 * GIB, 1000);

        assertEquals(128 + 4 * 64, capacity(limits.system().conns()));
        assertEquals(1000, capacity(limits.system().fd()));
    }

    @Test
    void everyPerKeyMapIsScaled() {
        ProtocolId proto = ProtocolId.of("/x/1.0.0");
        PeerId peer = PeerId.random();
        BaseLimit base = BaseLimit.builder().streams(1, 1, 1).memory(MIB).build();
        BaseLimitIncrease inc = BaseLimitIncrease.builder().streams(1024, 1024, 1024).memory(MIB).build();
        ScalingLimitConfig cfg = ScalingLimitConfig.builder()
                .addServiceLimit("s", base, inc)
                .addServicePeerLimit("s", base, inc)
                .addProtocolLimit(proto, base, inc)
                .addProtocolPeerLimit(proto, base, inc)
                .addPeerLimit(peer, base, inc)
                .build();

        ConcreteLimitConfig scaled = cfg.scale(GIB, 0);

        // 1 GiB is one increase: 1 + 1024 streams, 1 MiB + 1 MiB.
        BaseLimit expected = BaseLimit.builder().streams(1025, 1025, 1025).memory(2 * MIB).build();
        assertEquals(Map.of("s", expected), scaled.service());
        assertEquals(Map.of("s", expected), scaled.servicePeer());
        assertEquals(Map.of(proto, expected), scaled.protocol());
        assertEquals(Map.of(proto, expected), scaled.protocolPeer());
        assertEquals(Map.of(peer, expected), scaled.peer());
    }

    @Test
    void streamIsScaledWithItsOwnIncreaseNotTheConnIncrease() {
        BaseLimit base = BaseLimit.builder().streams(1, 1, 1).conns(1, 1, 1).memory(MIB).build();
        ScalingLimitConfig cfg = ScalingLimitConfig.builder()
                .conn(base, BaseLimitIncrease.builder().conns(1024, 1024, 1024).build())
                .stream(base, BaseLimitIncrease.builder().streams(2048, 2048, 2048).build())
                .build();

        ConcreteLimitConfig scaled = cfg.scale(GIB, 0);

        // go-libp2p would give the stream 1025 conns and 1 stream (the conn increase).
        assertEquals(BaseLimit.builder().streams(2049, 2049, 2049).conns(1, 1, 1).memory(MIB).build(),
                scaled.stream());
        assertEquals(BaseLimit.builder().streams(1, 1, 1).conns(1025, 1025, 1025).memory(MIB).build(),
                scaled.conn());
    }

    @Test
    void theZeroBuilderBlocksEverything() {
        ConcreteLimitConfig scaled = ScalingLimitConfig.builder().build().scale(8 * GIB, 16384);

        for (BaseLimit limit : List.of(scaled.system(), scaled.transientLimit(), scaled.allowlistedSystem(),
                scaled.allowlistedTransient(), scaled.serviceDefault(), scaled.servicePeerDefault(),
                scaled.protocolDefault(), scaled.protocolPeerDefault(), scaled.peerDefault(), scaled.conn(),
                scaled.stream())) {
            assertEquals(BaseLimit.BLOCK_ALL, limit);
        }
        assertTrue(scaled.service().isEmpty());
        assertTrue(scaled.peer().isEmpty());
    }

    @Test
    void scaleOfABudgetUsesItsMemoryAndFds() {
        ScalingLimitConfig cfg = DefaultLimits.defaults();

        assertEquals(cfg.scale(GIB, 4096), cfg.scale(SystemBudget.of(GIB, 4096)));
    }

    @Test
    void autoScaleGivesAtLeastTheBaseLimits() {
        ConcreteLimitConfig scaled = DefaultLimits.defaults().autoScale();

        assertTrue(capacity(scaled.system().memory()) >= 128 * MIB);
        assertTrue(capacity(scaled.system().fd()) >= 256);
    }

    @Test
    void negativeBudgetsAreRejected() {
        ScalingLimitConfig cfg = DefaultLimits.defaults();

        IllegalArgumentException memory = assertThrows(IllegalArgumentException.class, () -> cfg.scale(-1, 0));
        assertTrue(memory.getMessage().contains("memoryBytes"), memory.getMessage());
        IllegalArgumentException fd = assertThrows(IllegalArgumentException.class, () -> cfg.scale(0, -1));
        assertTrue(fd.getMessage().contains("numFd"), fd.getMessage());
        assertThrows(NullPointerException.class, () -> cfg.scale(null));
    }

    @Nested
    class BuilderAndValidation {

        @Test
        void addOverwritesAnEarlierEntry() {
            BaseLimit first = BaseLimit.builder().streams(1, 1, 1).build();
            BaseLimit second = BaseLimit.builder().streams(2, 2, 2).build();

            ScalingLimitConfig cfg = ScalingLimitConfig.builder()
                    .addServiceLimit("s", first, BaseLimitIncrease.NONE)
                    .addServiceLimit("s", second, BaseLimitIncrease.NONE)
                    .build();

            assertEquals(Map.of("s", ScopeScaling.unscaled(second)), cfg.service());
        }

        @Test
        void toBuilderLeavesTheOriginalAlone() {
            ScalingLimitConfig original = DefaultLimits.defaults();

            ScalingLimitConfig changed = original.toBuilder()
                    .system(ScopeScaling.unscaled(BaseLimit.UNLIMITED))
                    .addServiceLimit("s", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .build();

            assertNotSame(original, changed);
            assertEquals(ScopeScaling.unscaled(BaseLimit.UNLIMITED), changed.system());
            assertEquals(original.transientLimit(), changed.transientLimit());
            assertTrue(original.service().isEmpty());
            assertEquals(DefaultLimits.defaults(), original);
        }

        @Test
        void removeDropsAnEntry() {
            ProtocolId proto = ProtocolId.of("/p");
            PeerId peer = PeerId.random();
            ScalingLimitConfig full = ScalingLimitConfig.builder()
                    .addServiceLimit("s", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .addServicePeerLimit("s", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .addProtocolLimit(proto, BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .addProtocolPeerLimit(proto, BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .addPeerLimit(peer, BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .build();

            ScalingLimitConfig empty = full.toBuilder()
                    .removeServiceLimit("s")
                    .removeServicePeerLimit("s")
                    .removeProtocolLimit(proto)
                    .removeProtocolPeerLimit(proto)
                    .removePeerLimit(peer)
                    .build();

            assertEquals(ScalingLimitConfig.builder().build(), empty);
        }

        @Test
        void mapsKeepInsertionOrderAndAreUnmodifiable() {
            ScalingLimitConfig cfg = ScalingLimitConfig.builder()
                    .addServiceLimit("c", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .addServiceLimit("a", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .addServiceLimit("b", BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)
                    .build();

            assertEquals(List.of("c", "a", "b"), List.copyOf(cfg.service().keySet()));
            assertEquals(List.of("c", "a", "b"), List.copyOf(cfg.scale(0, 0).service().keySet()));
            assertThrows(UnsupportedOperationException.class, () -> cfg.service().clear());
        }

        @Test
        void nullsAreRejectedWithTheirName() {
            ScalingLimitConfig.Builder b = ScalingLimitConfig.builder();

            assertEquals("system", assertThrows(NullPointerException.class,
                    () -> b.system(null)).getMessage());
            assertEquals("base", assertThrows(NullPointerException.class,
                    () -> b.stream(null, BaseLimitIncrease.NONE)).getMessage());
            assertEquals("increase", assertThrows(NullPointerException.class,
                    () -> b.conn(BaseLimit.UNLIMITED, null)).getMessage());
            assertEquals("service name", assertThrows(NullPointerException.class,
                    () -> b.addServiceLimit(null, BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)).getMessage());
            assertEquals("peer id", assertThrows(NullPointerException.class,
                    () -> b.addPeerLimit(null, BaseLimit.UNLIMITED, BaseLimitIncrease.NONE)).getMessage());
        }

        @Test
        void theConstructorRejectsNullMapEntries() {
            ScalingLimitConfig valid = DefaultLimits.defaults();
            Map<String, ScopeScaling> withNull = new LinkedHashMap<>();
            withNull.put("s", null);

            NullPointerException e = assertThrows(NullPointerException.class, () -> new ScalingLimitConfig(
                    valid.system(), valid.transientLimit(), valid.allowlistedSystem(), valid.allowlistedTransient(),
                    valid.serviceDefault(), withNull, valid.servicePeerDefault(), valid.servicePeer(),
                    valid.protocolDefault(), valid.protocol(), valid.protocolPeerDefault(), valid.protocolPeer(),
                    valid.peerDefault(), valid.peer(), valid.conn(), valid.stream()));
            assertEquals("service must not map s to null", e.getMessage());
        }
    }
}
