package org.jrcmgr.impl.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The trie against a plain map scanned linearly, for any sequence of puts and removes.
 *
 * <p>Plain JUnit with a seeded generator: each trial's seed is in the failure message, and
 * {@code -Djrcmgr.property.seed=N} starts the trials from seed {@code N}, so the failing trial
 * runs first. A failure also names the number of operations and the first step that differs from
 * the model.
 */
class PrefixTrieTest {

    private static final int TRIALS = 300;
    private static final long BASE_SEED = Long.getLong("jrcmgr.property.seed", 0x7E1E_5EEDL);

    /** Values {@code Arbitraries.longs()}-style generation favours: they sit on bit boundaries. */
    private static final long[] EDGE_LONGS = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE};

    record Net(IpAddress address, int length) {
        boolean contains(IpAddress a) {
            return a.ipv6() == address.ipv6() && a.mask(length).equals(address);
        }
    }

    record Op(boolean put, Net net, IpAddress query) {
    }

    @Test
    void behavesLikeALinearScan() {
        for (int i = 0; i < TRIALS; i++) {
            long seed = BASE_SEED + i;
            List<Op> ops = ops(new SplittableRandom(seed));
            try {
                behavesLikeALinearScan(ops);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trial " + i + " with seed " + seed + " (-Djrcmgr.property.seed=" + seed
                        + "): " + e.getMessage(), e);
            }
        }
    }

    private static void behavesLikeALinearScan(List<Op> ops) {
        PrefixTrie<String> trie = PrefixTrie.empty(ops.isEmpty() || ops.get(0).net().address().ipv6());
        boolean ipv6 = ops.isEmpty() || ops.get(0).net().address().ipv6();
        Map<Net, String> model = new LinkedHashMap<>();
        int version = 0;
        for (int step = 0; step < ops.size(); step++) {
            Op op = ops.get(step);
            if (op.net().address().ipv6() != ipv6) {
                continue;
            }
            try {
                String value = "v" + version++;
                PrefixTrie<String> before = trie;
                if (op.put()) {
                    trie = trie.compute(op.net().address(), op.net().length(), old -> value);
                    model.put(op.net(), value);
                } else {
                    trie = trie.compute(op.net().address(), op.net().length(), old -> null);
                    model.remove(op.net());
                }
                assertEquals(model.size(), trie.size(), "size");
                assertTrue(before.size() >= 0, "older versions stay usable");
                IpAddress q = op.query().ipv6() == ipv6 ? op.query() : op.net().address();
                List<String> expected = model.entrySet().stream().filter(e -> e.getKey().contains(q))
                        .sorted(Comparator.comparingInt((Map.Entry<Net, String> e) -> e.getKey().length()).reversed())
                        .map(Map.Entry::getValue).toList();
                assertEquals(expected, trie.matchesMostSpecificFirst(q), "matchesMostSpecificFirst(" + q + ")");
                assertEquals(expected.isEmpty() ? null : expected.get(0), trie.longestMatch(q),
                        "longestMatch(" + q + ")");
                assertEquals(!expected.isEmpty(), trie.anyMatch(q, v -> true), "anyMatch(" + q + ")");
                assertEquals(model.get(op.net()), trie.get(op.net().address(), op.net().length()),
                        "get(" + op.net().address() + "/" + op.net().length() + ")");
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(ops.size() + " ops; first differing step " + step + ": " + op + ": "
                        + e.getMessage(), e);
            }
        }
        List<String> visited = new ArrayList<>();
        PrefixTrie<String> last = trie;
        try {
            last.forEach((network, length, value) -> {
                assertEquals(value, model.get(new Net(network, length)), "forEach at " + network + "/" + length);
                visited.add(value);
            });
            assertEquals(model.size(), visited.size(), "entries visited by forEach");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(ops.size() + " ops; every step matched, then: " + e.getMessage(), e);
        }
    }

    /**
     * One to 120 operations of one family (chosen per trial): three puts for one remove, each on a
     * random network of that family, with a random query address.
     */
    private static List<Op> ops(SplittableRandom random) {
        boolean ipv6 = random.nextBoolean();
        int size = listSize(random, 1, 120);
        List<Op> ops = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            boolean put = random.nextInt(4) > 0;
            IpAddress address = address(random, ipv6);
            int length = random.nextInt((ipv6 ? 128 : 32) + 1);
            ops.add(new Op(put, new Net(address.mask(length), length), address(random, ipv6)));
        }
        return ops;
    }

    /** Addresses crowded into few leading bits, so that networks nest and branch often. */
    private static IpAddress address(SplittableRandom random, boolean ipv6) {
        long high = switch (random.nextInt(3)) {
            case 0 -> crowded(random);
            case 1 -> anyLong(random);
            default -> crowded(random) | 0x0000_0001_0000_0000L;
        };
        if (!ipv6) {
            return new IpAddress(false, high & 0xffff_ffff_0000_0000L, 0);
        }
        long low = random.nextBoolean() ? random.nextLong(4) : anyLong(random);
        return new IpAddress(true, high, low);
    }

    /** Only the top four bits set: one of 16 values. */
    private static long crowded(SplittableRandom random) {
        return random.nextLong(16) << 60;
    }

    /** Any long, one in ten being an edge value (0, 1, -1, min, max). */
    private static long anyLong(SplittableRandom random) {
        return random.nextInt(10) == 0 ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextLong();
    }

    /** A list size in {@code [min, max]}: uniform, but one trial in ten is short and one in twenty full. */
    private static int listSize(SplittableRandom random, int min, int max) {
        int pick = random.nextInt(20);
        if (pick < 2) {
            return min + random.nextInt(4);
        }
        return pick == 2 ? max : min + random.nextInt(max - min + 1);
    }

    @Test
    void unchangedComputeReturnsTheSameVersionAndFamiliesAreChecked() {
        PrefixTrie<String> trie = PrefixTrie.<String>empty(false)
                .compute(ConnLimiterTest.ip("10.0.0.0"), 8, v -> "a");
        assertSame(trie, trie.compute(ConnLimiterTest.ip("10.0.0.0"), 8, v -> v));
        assertSame(trie, trie.compute(ConnLimiterTest.ip("11.0.0.0"), 8, v -> null));
        assertEquals("a", trie.get(ConnLimiterTest.ip("10.9.9.9"), 8), "host bits are ignored");
        assertNull(trie.get(ConnLimiterTest.ip("10.0.0.0"), 9));
        assertThrows(IllegalArgumentException.class, () -> trie.longestMatch(ConnLimiterTest.ip("::1")));
        assertThrows(IllegalArgumentException.class, () -> trie.compute(ConnLimiterTest.ip("10.0.0.0"), 33, v -> "x"));
    }
}
