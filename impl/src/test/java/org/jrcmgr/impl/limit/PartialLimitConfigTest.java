package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.junit.jupiter.api.Test;

/** {@link LimitSetting}, {@link ResourceLimits} and {@link PartialLimitConfig}: go's build and apply rules. */
class PartialLimitConfigTest {

    private static final BaseLimit SMALL = BaseLimit.builder().streams(1, 2, 3).conns(4, 5, 6).fd(7).memory(8).build();
    private static final BaseLimit LARGE = BaseLimit.builder().streams(10, 20, 30).conns(40, 50, 60).fd(70)
            .memory(80).build();

    private static ResourceLimits conns(long n) {
        return ResourceLimits.builder().conns(n).build();
    }

    @Test
    void limitSettings() {
        assertTrue(LimitSetting.defaultLimit().isDefault());
        assertFalse(LimitSetting.unlimited().isDefault());
        assertEquals(LimitSetting.blockAll(), LimitSetting.of(0));
        assertEquals(LimitSetting.unlimited(), LimitSetting.of(Long.MAX_VALUE));
        assertEquals(LimitSetting.of(LimitValue.of(5)), LimitSetting.of(5));
        assertThrows(IllegalArgumentException.class, () -> LimitSetting.of(-1));

        assertEquals(LimitValue.of(9), LimitSetting.defaultLimit().resolve(LimitValue.of(9)));
        assertEquals(LimitValue.blockAll(), LimitSetting.blockAll().resolve(LimitValue.of(9)));
        assertEquals(LimitSetting.of(3), LimitSetting.defaultLimit().orElse(LimitSetting.of(3)));
        assertEquals(LimitSetting.unlimited(), LimitSetting.unlimited().orElse(LimitSetting.of(3)));

        assertEquals("default", LimitSetting.defaultLimit().toString());
        assertEquals("unlimited", LimitSetting.unlimited().toString());
        assertEquals("blockAll", LimitSetting.blockAll().toString());
        assertEquals("42", LimitSetting.of(42).toString());
    }

    @Test
    void resourceLimitsBuildTakesEachDefaultFieldFromTheDefaults() {
        ResourceLimits limits = ResourceLimits.builder()
                .streamsInbound(LimitSetting.unlimited())
                .conns(LimitSetting.blockAll())
                .memory(1234)
                .build();

        assertEquals(SMALL.toBuilder().streams(LimitValue.unlimited(), SMALL.streamsOutbound(), SMALL.streams())
                .conns(SMALL.connsInbound(), SMALL.connsOutbound(), LimitValue.blockAll()).memory(1234).build(),
                limits.build(SMALL));
        assertEquals(SMALL, ResourceLimits.DEFAULT.build(SMALL));
        assertTrue(ResourceLimits.DEFAULT.isDefault());
        assertFalse(limits.isDefault());
    }

    @Test
    void resourceLimitsOfABaseLimitIsExplicitEverywhere() {
        ResourceLimits of = ResourceLimits.of(BaseLimit.builder().streams(1, 2, 3).memory(Long.MAX_VALUE).build());

        assertEquals(LimitSetting.of(1), of.streamsInbound());
        assertEquals(LimitSetting.blockAll(), of.conns());
        assertEquals(LimitSetting.unlimited(), of.memory());
        assertEquals(SMALL, ResourceLimits.of(SMALL).build(LARGE));
    }

    @Test
    void resourceLimitsApplyFillsOnlyTheDefaultFields() {
        ResourceLimits mine = ResourceLimits.builder().conns(1).fd(LimitSetting.blockAll()).build();
        ResourceLimits other = ResourceLimits.builder().conns(9).fd(9).memory(9).build();

        assertEquals(ResourceLimits.builder().conns(1).fd(LimitSetting.blockAll()).memory(9).build(), mine.apply(other));
        assertEquals(other, ResourceLimits.DEFAULT.apply(other));
    }

    /** go's buildMapWithDefault, for every map. */
    @Test
    void buildResolvesPerKeyEntriesAgainstTheDefaultsEntryElseTheBuiltScopeDefault() {
        ProtocolId known = ProtocolId.of("/known");
        PeerId peer = PeerId.random();
        ConcreteLimitConfig defaults = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .serviceDefault(SMALL).service("known", LARGE).service("untouched", LARGE)
                .protocolDefault(SMALL).protocol(known, LARGE)
                .peerDefault(SMALL)
                .build();
        PartialLimitConfig partial = PartialLimitConfig.builder()
                .serviceDefault(ResourceLimits.builder().memory(7).build())
                .service("known", conns(3))
                .service("new", conns(4))
                .protocol(known, ResourceLimits.DEFAULT)
                .protocol(ProtocolId.of("/new"), ResourceLimits.DEFAULT)
                .peer(peer, conns(5))
                .build();

        ConcreteLimitConfig built = partial.build(defaults);

        BaseLimit builtServiceDefault = SMALL.toBuilder().memory(7).build();
        assertEquals(builtServiceDefault, built.serviceDefault());
        assertEquals(Map.of(
                "known", LARGE.toBuilder().conns(LARGE.connsInbound(), LARGE.connsOutbound(), LimitValue.of(3)).build(),
                "new", builtServiceDefault.toBuilder().conns(SMALL.connsInbound(), SMALL.connsOutbound(),
                        LimitValue.of(4)).build(),
                "untouched", LARGE), built.service());
        assertEquals(Map.of(known, LARGE, ProtocolId.of("/new"), SMALL), built.protocol());
        assertEquals(Map.of(peer, SMALL.toBuilder().conns(SMALL.connsInbound(), SMALL.connsOutbound(),
                LimitValue.of(5)).build()), built.peer());
        assertEquals(defaults.system(), built.system());
        assertEquals(Map.of(), built.servicePeer());
    }

    @Test
    void buildingNothingGivesTheDefaultsBack() {
        ConcreteLimitConfig defaults = DefaultLimits.withDefaultServiceLimits(DefaultLimits.defaults()).scale(1L << 30, 4096);

        assertEquals(defaults, PartialLimitConfig.EMPTY.build(defaults));
    }

    /** go's PartialLimitConfig.Apply with applyResourceLimitsMap. */
    @Test
    void applyCompletesFromOtherAndFromTheAppliedScopeDefault() {
        PartialLimitConfig mine = PartialLimitConfig.builder()
                .system(conns(5))
                .serviceDefault(conns(1))
                .service("both", ResourceLimits.builder().fd(2).build())
                .service("mineOnly", ResourceLimits.builder().streams(3).build())
                .build();
        PartialLimitConfig other = PartialLimitConfig.builder()
                .system(ResourceLimits.builder().conns(6).fd(7).build())
                .transientLimit(conns(8))
                .serviceDefault(ResourceLimits.builder().conns(99).memory(10).build())
                .service("both", ResourceLimits.builder().fd(77).memory(20).build())
                .service("otherOnly", ResourceLimits.builder().streams(4).build())
                .build();

        PartialLimitConfig applied = mine.apply(other);

        assertEquals(ResourceLimits.builder().conns(5).fd(7).build(), applied.system());
        assertEquals(conns(8), applied.transientLimit());
        assertEquals(ResourceLimits.builder().conns(1).memory(10).build(), applied.serviceDefault());
        assertEquals(Map.of(
                "both", ResourceLimits.builder().fd(2).memory(20).build(),
                "mineOnly", ResourceLimits.builder().streams(3).conns(1).memory(10).build(),
                "otherOnly", ResourceLimits.builder().streams(4).build()), applied.service());
        assertEquals(PartialLimitConfig.EMPTY, PartialLimitConfig.EMPTY.apply(PartialLimitConfig.EMPTY));
        assertEquals(other, PartialLimitConfig.EMPTY.apply(other));
    }

    @Test
    void toPartialLeavesNothingAtDefault() {
        ConcreteLimitConfig concrete = DefaultLimits.withDefaultServiceLimits(DefaultLimits.defaults()).scale(1L << 30, 4096);

        PartialLimitConfig partial = concrete.toPartial();

        for (LimitJsonSchema.Section section : LimitJsonSchema.Section.ALL) {
            if (section.isMap()) {
                section.map(partial).values().forEach(limits -> assertNoDefault(section.jsonName, limits));
            } else {
                assertNoDefault(section.jsonName, section.scope(partial));
            }
        }
        assertEquals(concrete, partial.build(ConcreteLimitConfig.infinite()));
        assertEquals(concrete, partial.build(DefaultLimits.defaults().scale(0, 0)));
    }

    private static void assertNoDefault(String where, ResourceLimits limits) {
        for (LimitJsonSchema.Field field : LimitJsonSchema.Field.ALL) {
            assertFalse(field.of(limits).isDefault(), () -> where + "." + field.jsonName);
        }
    }

    @Test
    void theRecordCopiesItsMapsAndRefusesNulls() {
        java.util.HashMap<String, ResourceLimits> service = new java.util.HashMap<>();
        service.put("a", ResourceLimits.DEFAULT);
        PartialLimitConfig config = PartialLimitConfig.EMPTY.toBuilder().build();
        PartialLimitConfig withService = new PartialLimitConfig(config.system(), config.transientLimit(),
                config.allowlistedSystem(), config.allowlistedTransient(), config.serviceDefault(), service,
                config.servicePeerDefault(), config.servicePeer(), config.protocolDefault(), config.protocol(),
                config.protocolPeerDefault(), config.protocolPeer(), config.peerDefault(), config.peer(),
                config.conn(), config.stream());
        service.put("b", ResourceLimits.DEFAULT);

        assertEquals(1, withService.service().size());
        assertThrows(UnsupportedOperationException.class, () -> withService.service().put("c", ResourceLimits.DEFAULT));
        assertThrows(NullPointerException.class, () -> PartialLimitConfig.builder().system(null));
        assertThrows(NullPointerException.class, () -> ResourceLimits.builder().memory(null));
        assertSame(PartialLimitConfig.EMPTY.system(), ResourceLimits.DEFAULT);
    }
}
