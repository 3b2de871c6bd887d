package org.jrcmgr.impl.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongConsumer;

import org.jrcmgr.LimitValue;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.junit.jupiter.api.Test;

/**
 * go's {@code FuzzConnLimiter} as properties: whatever addresses are added, removing every
 * admitted one leaves no count behind, and anything admitted was counted.
 *
 * <p>Plain JUnit with a seeded generator: each trial's seed is in the failure message, and
 * {@code -Djrcmgr.property.seed=N} starts the trials from seed {@code N}, so the failing trial
 * runs first. A failure also names the first step after which draining the limiter no longer
 * balances to zero (found by replaying ever longer prefixes of the trial's input).
 */
class ConnLimiterPropertiesTest {

    private static final int TRIALS = 500;
    private static final long BASE_SEED = Long.getLong("jrcmgr.property.seed", 0xC0_11_1E_5EEDL);

    private static final String[] CROWDED = {
        "1.2.3.4", "1.2.3.5", "127.0.0.1", "::1", "1:2:3:4::1", "1:2:3:5::1", "::ffff:1.2.3.4",
    };
    private static final String[] SPECIAL = {"127.0.0.1", "::1", "::ffff:10.0.0.1"};

    /** go's fuzz target: addresses decoded from bytes, all added, the admitted ones removed. */
    @Test
    void addingThenRemovingTheAdmittedLeavesNothing() {
        forAll(seed -> {
            List<IpAddress> ips = addresses(new SplittableRandom(seed));
            check(ips, ConnLimiterPropertiesTest::addAllThenRemoveAdmitted,
                    (ip, admitted) -> "add " + ip + (admitted ? " (admitted)" : " (refused)"));
        });
    }

    /** Any interleaving of adds and removes, under tight limits and overlapping networks. */
    @Test
    void anyInterleavingBalancesToZero() {
        forAll(seed -> {
            List<Operation> operations = operations(new SplittableRandom(seed));
            check(operations, ConnLimiterPropertiesTest::interleave,
                    (op, effective) -> op.add() ? "add " + op.ip() + (effective ? " (admitted)" : " (refused)")
                            : effective ? "remove the held address picked by " + op.ip() : "remove with nothing held");
        });
    }

    /** Adds every address to a limiter with the default limits, then removes the admitted ones. */
    private static Outcome addAllThenRemoveAdmitted(List<IpAddress> ips) {
        ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults());
        List<IpAddress> admitted = new ArrayList<>();
        List<Boolean> results = new ArrayList<>();
        for (IpAddress ip : ips) {
            boolean ok = limiter.addConn(ip);
            results.add(ok);
            if (ok) {
                admitted.add(ip);
            }
        }
        boolean countedWhenAdmitted = admitted.isEmpty() || limiter.countedTotal() > 0;
        admitted.forEach(limiter::removeConn);
        return new Outcome(countedWhenAdmitted, limiter.countedTotal(), limiter.subnetCounterCount(), results);
    }

    /** Plays the operations against tight, overlapping limits, then removes whatever is still held. */
    private static Outcome interleave(List<Operation> operations) {
        ConnLimiter limiter = new ConnLimiter(ConnLimiterConfig.defaults()
                .withNetworkPrefixLimitsV4(List.of(NetworkPrefixLimit.of("10.0.0.0/24", LimitValue.of(3)),
                        NetworkPrefixLimit.of("10.0.0.0/26", LimitValue.of(2))))
                .withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(32, LimitValue.of(2)),
                        new ConnLimitPerSubnet(16, LimitValue.of(5))))
                .withSubnetLimitsV6(List.of(new ConnLimitPerSubnet(120, LimitValue.of(2)),
                        new ConnLimitPerSubnet(112, LimitValue.of(3)))));
        List<IpAddress> held = new ArrayList<>();
        List<Boolean> results = new ArrayList<>();
        for (Operation op : operations) {
            if (op.add()) {
                boolean ok = limiter.addConn(op.ip());
                results.add(ok);
                if (ok) {
                    held.add(op.ip());
                }
            } else {
                results.add(!held.isEmpty());
                if (!held.isEmpty()) {
                    limiter.removeConn(held.remove(Math.floorMod(op.ip().hashCode(), held.size())));
                }
            }
        }
        held.forEach(limiter::removeConn);
        return new Outcome(true, limiter.countedTotal(), limiter.subnetCounterCount(), results);
    }

    /** What is left after a run: must be nothing. {@code results} is each step's addConn answer. */
    private record Outcome(boolean countedWhenAdmitted, long countedTotal, int subnetCounters,
                           List<Boolean> results) {
        boolean balanced() {
            return countedWhenAdmitted && countedTotal == 0 && subnetCounters == 0;
        }
    }

    /** Describes one input step given whether it took effect. */
    private interface StepDescription<T> {
        String describe(T step, boolean effective);
    }

    /**
     * Runs {@code input} and asserts the properties; on failure, names the input size and the
     * first step whose prefix already fails.
     */
    private static <T> void check(List<T> input, Function<List<T>, Outcome> run, StepDescription<T> describe) {
        Outcome outcome = run.apply(input);
        if (outcome.balanced()) {
            return;
        }
        int first = input.size();
        Outcome firstFailing = outcome;
        for (int k = 0; k < input.size(); k++) {
            Outcome prefix = run.apply(input.subList(0, k + 1));
            if (!prefix.balanced()) {
                first = k;
                firstFailing = prefix;
                break;
            }
        }
        String report = input.size() + " steps; first failing at step " + first
                + (first < input.size() ? " (" + describe.describe(input.get(first), firstFailing.results().get(first))
                        + ", left countedTotal=" + firstFailing.countedTotal() + ", subnetCounters="
                        + firstFailing.subnetCounters() + ")" : "");
        assertTrue(outcome.countedWhenAdmitted(), "admitted connections are counted; " + report);
        assertEquals(0, outcome.countedTotal(), "countedTotal after removing everything; " + report);
        assertEquals(0, outcome.subnetCounters(), "subnetCounterCount after removing everything; " + report);
    }

    /** Runs {@code trial} with one seed after another, naming the seed of a failure. */
    private static void forAll(LongConsumer trial) {
        for (int i = 0; i < TRIALS; i++) {
            long seed = BASE_SEED + i;
            try {
                trial.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trial " + i + " with seed " + seed + " (-Djrcmgr.property.seed=" + seed
                        + "): " + e.getMessage(), e);
            }
        }
    }

    record Operation(boolean add, IpAddress ip) {
    }

    /**
     * Up to 200 addresses, each one of: as go's genIP, 4 or 16 raw bytes (mapped IPv6 included),
     * or one of a few crowded literals (loopback, neighbours, a mapped address).
     */
    private static List<IpAddress> addresses(SplittableRandom random) {
        int size = listSize(random, 200);
        List<IpAddress> ips = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            switch (random.nextInt(3)) {
                case 0 -> ips.add(IpAddress.ofBytes(bytes(random, 4)));
                case 1 -> ips.add(IpAddress.ofBytes(bytes(random, 16)));
                default -> ips.add(ConnLimiterTest.ip(CROWDED[random.nextInt(CROWDED.length)]));
            }
        }
        return ips;
    }

    /**
     * Up to 300 operations, two adds for one remove, on addresses inside and around the configured
     * networks, in a few IPv4 and IPv6 subnets, or special (loopback, mapped).
     */
    private static List<Operation> operations(SplittableRandom random) {
        int size = listSize(random, 300);
        List<Operation> ops = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            boolean add = random.nextInt(3) > 0;
            IpAddress ip = switch (random.nextInt(4)) {
                case 0 -> {
                    int n = random.nextInt(301);
                    yield ConnLimiterTest.ip("10.0." + (n / 256) + "." + (n % 256));
                }
                case 1 -> ConnLimiterTest.ip("10.1.0." + random.nextInt(8));
                case 2 -> ConnLimiterTest.ip("2001:db8::" + Integer.toHexString(random.nextInt(601)));
                default -> ConnLimiterTest.ip(SPECIAL[random.nextInt(SPECIAL.length)]);
            };
            ops.add(new Operation(add, ip));
        }
        return ops;
    }

    /** A list size in {@code [0, max]}: uniform, but one trial in ten is short (0 to 3) and one in twenty full. */
    private static int listSize(SplittableRandom random, int max) {
        int pick = random.nextInt(20);
        if (pick < 2) {
            return random.nextInt(4);
        }
        return pick == 2 ? max : random.nextInt(max + 1);
    }

    /** Raw bytes, one in eight being 0x00 or 0xff so that zero runs and all-ones octets occur. */
    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(16);
            bytes[i] = (byte) (pick == 0 ? 0x00 : pick == 1 ? 0xff : random.nextInt(256));
        }
        return bytes;
    }
}
