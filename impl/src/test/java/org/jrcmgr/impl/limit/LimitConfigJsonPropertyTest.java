package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.junit.jupiter.api.Test;

/**
 * Property tests over random configurations: any mix of default, unlimited, block-all and finite
 * values (small, huge, and around the 53-bit boundary of JavaScript numbers), with random service
 * names (controls, quotes, HTML characters, line separators, surrogate pairs), protocol ids and
 * peer ids of both kinds.
 *
 * <p>Plain JUnit with a seeded generator: each trial's seed is in the failure message, and
 * {@code -Djrcmgr.limit.seed=N} starts the trials from another seed.
 */
class LimitConfigJsonPropertyTest {

    private static final int TRIALS = 500;
    private static final long BASE_SEED = Long.getLong("jrcmgr.limit.seed", 0x11B2B_5EEDL);

    /** Characters a service name may hold that stress the escaping and the key order. */
    private static final String[] NAME_PIECES = {
        "a", "Z", "0", "/", ".", "-", "_", " ", "<", ">", "&", "\"", "\\", "\n", "\t", "\u0000", "\u001f",
        "\u007f", "é", "\u2028", "\u2029", "\uFFFD", "\uFFFF", "中", "😀", "𝄞", "libp2p.", "identify",
    };

    /** Characters a protocol id may hold (no whitespace, no controls). */
    private static final String[] PROTOCOL_PIECES = {
        "/", "ipfs", "ping", "1.0.0", "a", "Z", "<", ">", "&", "\"", "\\", "é", "😀", "\uFFFF", "-",
    };

    private static final byte[] ED25519_KEY_HEADER = {0x08, 0x01, 0x12, 0x20};
    private static final int SHA2_256 = 0x12;
    private static final int DIGEST_LENGTH = 32;

    /** Runs {@code trial} with one seed after another, naming the seed of a failure. */
    private static void forAll(LongConsumer trial) {
        for (int i = 0; i < TRIALS; i++) {
            long seed = BASE_SEED + i;
            try {
                trial.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trial with seed " + seed + " (-Djrcmgr.limit.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
    }

    @Test
    void anyPartialConfigRoundTripsThroughJson() {
        forAll(seed -> {
            PartialLimitConfig config = partialConfig(new SplittableRandom(seed));

            String json = LimitConfigJson.write(config);

            assertEquals(config, LimitConfigJson.read(json), json);
            assertEquals(config, LimitConfigJson.read(LimitConfigJson.writeIndented(config)));
            assertEquals(json, LimitConfigJson.write(LimitConfigJson.read(json)));
        });
    }

    @Test
    void anyResourceLimitsRoundTripThroughJson() {
        forAll(seed -> {
            ResourceLimits limits = resourceLimits(new SplittableRandom(seed));

            assertEquals(limits, LimitConfigJson.readResourceLimits(LimitConfigJson.write(limits)));
        });
    }

    /**
     * {@code build(toPartial(c))} is {@code c} against any defaults without per-key entries of
     * their own; entries only the defaults have are kept, as go's {@code buildMapWithDefault} keeps
     * them (that is how go-libp2p's service presets survive a limit file).
     */
    @Test
    void anyConcreteConfigRoundTripsThroughItsPartialForm() {
        forAll(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            ConcreteLimitConfig concrete = concreteConfig(random);
            ConcreteLimitConfig scopesOnly = scopesOnly(concreteConfig(random));
            ConcreteLimitConfig withEntries = concreteConfig(random);

            assertEquals(concrete, concrete.toPartial().build(ConcreteLimitConfig.infinite()));
            assertEquals(concrete, concrete.toPartial().build(scopesOnly));
            assertEquals(concrete, LimitConfigJson.read(LimitConfigJson.write(concrete.toPartial())).build(scopesOnly));
            assertEquals(concrete, LimitConfigJson.read(LimitConfigJson.writeConcrete(concrete)).build(scopesOnly));
            assertEquals(overlay(withEntries, concrete), concrete.toPartial().build(withEntries));
        });
    }

    /**
     * Building against defaults is applying their explicit form and building against defaults
     * without entries: go's Build and Apply agree.
     */
    @Test
    void buildAgreesWithApply() {
        forAll(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            PartialLimitConfig partial = partialConfig(random);
            ConcreteLimitConfig defaults = concreteConfig(random);

            assertEquals(partial.build(defaults),
                    partial.apply(defaults.toPartial()).build(scopesOnly(concreteConfig(random))));
        });
    }

    /** {@code config} without its per-key entries. */
    private static ConcreteLimitConfig scopesOnly(ConcreteLimitConfig config) {
        return new ConcreteLimitConfig(config.system(), config.transientLimit(), config.allowlistedSystem(),
                config.allowlistedTransient(), config.serviceDefault(), Map.of(), config.servicePeerDefault(),
                Map.of(), config.protocolDefault(), Map.of(), config.protocolPeerDefault(), Map.of(),
                config.peerDefault(), Map.of(), config.conn(), config.stream());
    }

    /** {@code top} with the entries only {@code bottom} has added to its maps. */
    private static ConcreteLimitConfig overlay(ConcreteLimitConfig bottom, ConcreteLimitConfig top) {
        return new ConcreteLimitConfig(top.system(), top.transientLimit(), top.allowlistedSystem(),
                top.allowlistedTransient(), top.serviceDefault(), merged(bottom.service(), top.service()),
                top.servicePeerDefault(), merged(bottom.servicePeer(), top.servicePeer()), top.protocolDefault(),
                merged(bottom.protocol(), top.protocol()), top.protocolPeerDefault(),
                merged(bottom.protocolPeer(), top.protocolPeer()), top.peerDefault(), merged(bottom.peer(), top.peer()),
                top.conn(), top.stream());
    }

    private static <K> Map<K, BaseLimit> merged(Map<K, BaseLimit> bottom, Map<K, BaseLimit> top) {
        Map<K, BaseLimit> out = new HashMap<>(bottom);
        out.putAll(top);
        return out;
    }

    @Test
    void baseLimitsAndIncreasesRoundTripThroughGoPlainForm() {
        forAll(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            BaseLimit limit = baseLimit(random);
            BaseLimitIncrease increase = new BaseLimitIncrease(count(random), count(random), count(random),
                    count(random), count(random), count(random), count(random), fraction(random));

            assertEquals(limit, LimitConfigJson.readBaseLimit(LimitConfigJson.write(limit)));
            assertEquals(increase, LimitConfigJson.readBaseLimitIncrease(LimitConfigJson.write(increase)));
        });
    }

    // ---- generators ----

    static PartialLimitConfig partialConfig(SplittableRandom random) {
        PartialLimitConfig.Builder b = PartialLimitConfig.builder()
                .system(resourceLimits(random))
                .transientLimit(resourceLimits(random))
                .allowlistedSystem(resourceLimits(random))
                .allowlistedTransient(resourceLimits(random))
                .serviceDefault(resourceLimits(random))
                .servicePeerDefault(resourceLimits(random))
                .protocolDefault(resourceLimits(random))
                .protocolPeerDefault(resourceLimits(random))
                .peerDefault(resourceLimits(random))
                .conn(resourceLimits(random))
                .stream(resourceLimits(random));
        for (int i = random.nextInt(4); i > 0; i--) {
            b.service(serviceName(random), resourceLimits(random));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            b.servicePeer(serviceName(random), resourceLimits(random));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            b.protocol(protocolId(random), resourceLimits(random));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            b.protocolPeer(protocolId(random), resourceLimits(random));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            b.peer(peerId(random), resourceLimits(random));
        }
        return b.build();
    }

    static ConcreteLimitConfig concreteConfig(SplittableRandom random) {
        ConcreteLimitConfig.Builder b = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(baseLimit(random))
                .transientLimit(baseLimit(random))
                .allowlistedSystem(baseLimit(random))
                .allowlistedTransient(baseLimit(random))
                .serviceDefault(baseLimit(random))
                .servicePeerDefault(baseLimit(random))
                .protocolDefault(baseLimit(random))
                .protocolPeerDefault(baseLimit(random))
                .peerDefault(baseLimit(random))
                .conn(baseLimit(random))
                .stream(baseLimit(random));
        for (int i = random.nextInt(3); i > 0; i--) {
            b.service(serviceName(random), baseLimit(random));
            b.servicePeer(serviceName(random), baseLimit(random));
            b.protocol(protocolId(random), baseLimit(random));
            b.protocolPeer(protocolId(random), baseLimit(random));
            b.peer(peerId(random), baseLimit(random));
        }
        return b.build();
    }

    static ResourceLimits resourceLimits(SplittableRandom random) {
        if (random.nextInt(5) == 0) {
            return ResourceLimits.DEFAULT;
        }
        return new ResourceLimits(setting(random), setting(random), setting(random), setting(random),
                setting(random), setting(random), setting(random), setting(random));
    }

    static LimitSetting setting(SplittableRandom random) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return LimitSetting.defaultLimit();
        }
        return LimitSetting.of(value(random));
    }

    static BaseLimit baseLimit(SplittableRandom random) {
        return new BaseLimit(value(random), value(random), value(random), value(random), value(random),
                value(random), value(random), value(random));
    }

    static LimitValue value(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> LimitValue.unlimited();
            case 1 -> LimitValue.blockAll();
            case 2, 3 -> LimitValue.of(random.nextLong(1, 1025));
            case 4 -> LimitValue.of(random.nextLong(1, Long.MAX_VALUE));
            // Around the largest integer a JavaScript number holds exactly.
            case 5 -> LimitValue.of((1L << 53) + random.nextLong(-2, 3));
            case 6 -> LimitValue.of(Long.MAX_VALUE - 1 - random.nextLong(3));
            default -> LimitValue.of(1L << random.nextInt(63));
        };
    }

    private static long count(SplittableRandom random) {
        return random.nextBoolean() ? 0 : random.nextBoolean() ? random.nextLong(1, 4096) : random.nextLong(Long.MAX_VALUE);
    }

    private static double fraction(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 1.0 / (1 << random.nextInt(1, 20));
            case 3 -> random.nextDouble() * 1e-6;
            default -> random.nextDouble();
        };
    }

    static String serviceName(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            sb.append(NAME_PIECES[random.nextInt(NAME_PIECES.length)]);
        }
        return sb.toString();
    }

    static ProtocolId protocolId(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(1, 6); i > 0; i--) {
            sb.append(PROTOCOL_PIECES[random.nextInt(PROTOCOL_PIECES.length)]);
        }
        return ProtocolId.of(sb.toString());
    }

    static PeerId peerId(SplittableRandom random) {
        byte[] digest = new byte[DIGEST_LENGTH];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
            byte[] key = new byte[ED25519_KEY_HEADER.length + DIGEST_LENGTH];
            System.arraycopy(ED25519_KEY_HEADER, 0, key, 0, ED25519_KEY_HEADER.length);
            System.arraycopy(digest, 0, key, ED25519_KEY_HEADER.length, DIGEST_LENGTH);
            return PeerId.fromPublicKey(key);
        }
        byte[] multihash = new byte[2 + DIGEST_LENGTH];
        multihash[0] = SHA2_256;
        multihash[1] = DIGEST_LENGTH;
        System.arraycopy(digest, 0, multihash, 2, DIGEST_LENGTH);
        return PeerId.fromBytes(multihash);
    }
}
