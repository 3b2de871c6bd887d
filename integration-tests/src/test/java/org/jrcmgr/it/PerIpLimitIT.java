package org.jrcmgr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.it.support.ContainerGroup;
import org.jrcmgr.it.support.Control;
import org.jrcmgr.it.support.NodeContainers;
import org.jrcmgr.it.support.PeakWatcher;
import org.jrcmgr.it.support.Report;
import org.jrcmgr.it.support.RequiresDocker;
import org.jrcmgr.it.support.StormResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * Scenario 2: go-libp2p's per-address limit (8 concurrent connections per IPv4 address by default)
 * between containers, each on its own address. One container opens 20 connections at once and holds
 * them: exactly 8 are admitted, the other 12 are refused by the per-address limit; two containers on
 * other addresses are admitted in full at the same time. Loopback is exempt from the limit, so this
 * traffic has to come from containers on the test's network, not from the host.
 *
 * <p>The target's scope limits are raised (a limit file) so that only the per-address limit can
 * refuse: go-libp2p's default of 4 inbound connections per peer would otherwise refuse first; the
 * connection rate limit is off for the same reason (its default burst is 16 per address).
 */
@RequiresDocker
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PerIpLimitIT {

    static final String LIMITS = """
            {
              "PeerDefault": {"Conns": 64, "ConnsInbound": 64, "ConnsOutbound": 64, "FD": 64}
            }
            """;

    /** go-libp2p's default: 8 concurrent connections per IPv4 address. */
    static final int PER_IP_CAP = 8;
    static final int FLOOD = 20;
    static final int OTHERS = 6;

    @Test
    void onlyThePerAddressCapIsAdmittedFromOneAddressWhileOtherAddressesAreStillAdmitted() throws Exception {
        Report report = new Report("PerIpLimitIT: one container opens " + FLOOD + " connections, two others "
                + OTHERS + " each, against the default per-address cap of " + PER_IP_CAP);
        try (Network net = Network.newNetwork();
             GenericContainer<?> target = NodeContainers.node(net, "target", LIMITS, "--conn-rate", "unlimited");
             ContainerGroup storms = new ContainerGroup()) {
            target.start();
            Control control = new Control("target", target);
            String[] common = {"--target", "target:" + NodeContainers.PORT, "--streams", "1", "--payload", "1k",
                "--hold", "6s", "--duration", "15s"};

            Map<String, GenericContainer<?>> byName = new LinkedHashMap<>();
            byName.put("flooder", storms.add(NodeContainers.storm(net, "flooder",
                    concat(common, "--conns", String.valueOf(FLOOD)))));
            byName.put("other-1", storms.add(NodeContainers.storm(net, "other-1",
                    concat(common, "--conns", String.valueOf(OTHERS)))));
            byName.put("other-2", storms.add(NodeContainers.storm(net, "other-2",
                    concat(common, "--conns", String.valueOf(OTHERS)))));

            Map<String, String> ipOf = new LinkedHashMap<>();
            Map<String, Integer> maxOpenByIp = new LinkedHashMap<>();
            List<StormResult> results = new ArrayList<>();
            try (PeakWatcher watcher = new PeakWatcher(control, 500)) {
                for (Map.Entry<String, GenericContainer<?>> e : byName.entrySet()) {
                    e.getValue().start();
                    ipOf.put(e.getKey(), NodeContainers.addressOn(e.getValue(), net));
                }
                // While the storms hold their connections: the open connections by source address.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < until && anyRunning(byName.values())) {
                    control.connectionsByAddress().forEach((ip, n) -> maxOpenByIp.merge(ip, n, Math::max));
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                for (Map.Entry<String, GenericContainer<?>> e : byName.entrySet()) {
                    long exit = NodeContainers.awaitExit(e.getValue(), Duration.ofSeconds(60));
                    results.add(StormResult.of(e.getKey(), e.getValue(), exit));
                }
                watcher.sampleOnce();
                assertEquals(List.of(), watcher.violations(), "no peak above its limit");
            }
            report.storms(results);
            report.line("%-10s %-15s %12s", "storm", "address", "max open");
            for (String name : byName.keySet()) {
                report.line("%-10s %-15s %12d", name, ipOf.get(name), maxOpenByIp.getOrDefault(ipOf.get(name), 0));
            }
            JsonNode refusals = control.refusals();
            Map<String, Long> targetRefused = Control.counts(refusals.path("node").path("connsRefused"));
            report.line("target refused connections: %s", Report.compact(targetRefused));

            StormResult flooder = results.get(0);
            assertTrue(flooder.consistent(), flooder.json().toString());
            assertEquals(FLOOD, flooder.connsAttempted());
            assertEquals(PER_IP_CAP, flooder.connsAdmitted(), "exactly the per-address cap is admitted from one address");
            assertEquals(Map.of("per-address", (long) (FLOOD - PER_IP_CAP)), flooder.connsRefusedBy(),
                    "the rest is refused by the per-address limit");
            assertEquals(PER_IP_CAP, flooder.streamsCompleted(), "each admitted connection works");
            for (StormResult other : results.subList(1, results.size())) {
                assertEquals(OTHERS, other.connsAdmitted(), other.name() + " on another address is admitted in full");
                assertEquals(0, other.connsRefused() + other.connsFailed(), other.name() + " is refused nothing");
                assertEquals(OTHERS, other.streamsCompleted());
            }
            assertEquals(Map.of("per-address", (long) (FLOOD - PER_IP_CAP)), targetRefused,
                    "the target refused the flooder's excess, and nothing else");
            assertEquals(PER_IP_CAP, maxOpenByIp.getOrDefault(ipOf.get("flooder"), 0),
                    "the target never held more than the cap from the flooder's address");
            for (String other : List.of("other-1", "other-2")) {
                assertEquals(OTHERS, maxOpenByIp.getOrDefault(ipOf.get(other), 0),
                        other + "'s connections were open at the same time as the flooder's");
            }

            JsonNode exactness = control.awaitIdle(Duration.ofSeconds(30));
            report.line("after: scopes at zero %s, live buffers %d, native bytes %d",
                    exactness.path("scopesZero").asBoolean(), exactness.path("liveBuffers").asLong(),
                    exactness.path("nativeBytes").asLong());
            assertEquals(List.of(), Control.nonZero(control.snapshot()));
        } finally {
            report.print();
        }
    }

    static boolean anyRunning(Iterable<GenericContainer<?>> containers) {
        for (GenericContainer<?> c : containers) {
            if (c.isRunning()) {
                return true;
            }
        }
        return false;
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
