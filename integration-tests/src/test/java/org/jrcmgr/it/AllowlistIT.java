package org.jrcmgr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
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
 * Scenario 3: go-libp2p's allowlist. The target is on two networks the test creates: the public
 * one, and a trusted one whose whole subnet is in the target's {@code --allow} (a CIDR
 * multiaddr). A storm from the public network fills the target's system scope (6 inbound
 * connections) and holds it; while it is full, a container on the trusted network still connects
 * and completes its streams (through the allowlisted scopes), and a second container on the public
 * network is refused by the system scope.
 */
@RequiresDocker
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AllowlistIT {

    /** System scope: 6 inbound connections; the transient and peer scopes are larger, so system refuses. */
    static final String LIMITS = """
            {
              "System":    {"Conns": 12, "ConnsInbound": 6, "ConnsOutbound": 6, "FD": 12},
              "Transient": {"Conns": 32, "ConnsInbound": 32, "ConnsOutbound": 32, "FD": 32},
              "PeerDefault": {"Conns": 32, "ConnsInbound": 32, "ConnsOutbound": 32, "FD": 32}
            }
            """;

    static final int SYSTEM_CONNS = 6;
    static final int FLOOD = 12;

    @Test
    void anAllowlistedContainerConnectsWhileTheSystemScopeIsFullAndAnotherDoesNot() throws Exception {
        Report report = new Report("AllowlistIT: a storm holds the target's " + SYSTEM_CONNS
                + " system connections; an allowlisted and a non-allowlisted container then dial it");
        try (Network publicNet = Network.newNetwork();
             Network trustedNet = Network.newNetwork();
             ContainerGroup containers = new ContainerGroup()) {
            String trustedSubnet = NodeContainers.subnetOf(trustedNet);
            String[] cidr = trustedSubnet.split("/");
            String allow = "/ip4/" + cidr[0] + "/ipcidr/" + cidr[1];
            // The same node on both networks, under the same name.
            GenericContainer<?> target = containers.add(NodeContainers.node(publicNet, List.of(trustedNet), "target",
                    LIMITS, "--allow", allow, "--conns-per-ip", "64", "--conn-rate", "unlimited"));
            target.start();
            Control control = new Control("target", target);
            report.line("target allowlist: %s (the trusted network's subnet)", allow);

            String[] dial = {"--target", "target:" + NodeContainers.PORT};
            GenericContainer<?> flooder = containers.add(NodeContainers.storm(publicNet, "flooder",
                    PerIpLimitIT.concat(dial, "--conns", String.valueOf(FLOOD), "--streams", "0",
                            "--hold", "18s", "--duration", "24s")));
            GenericContainer<?> trusted = containers.add(NodeContainers.storm(trustedNet, "trusted",
                    PerIpLimitIT.concat(dial, "--conns", "2", "--streams", "2", "--duration", "8s")));
            GenericContainer<?> untrusted = containers.add(NodeContainers.storm(publicNet, "untrusted",
                    PerIpLimitIT.concat(dial, "--conns", "2", "--streams", "2", "--duration", "8s")));

            StormResult trustedResult;
            StormResult untrustedResult;
            StormResult flooderResult;
            JsonNode whileFull;
            try (PeakWatcher watcher = new PeakWatcher(control, 250)) {
                flooder.start();
                control.await("/snapshot", s -> Control.scope(s, "system").path("usage").path("connsInbound").asLong()
                        == SYSTEM_CONNS, Duration.ofSeconds(30), "the system scope full of the flooder's connections");
                trusted.start();
                untrusted.start();
                trustedResult = StormResult.of("trusted", trusted, NodeContainers.awaitExit(trusted, Duration.ofSeconds(40)));
                untrustedResult = StormResult.of("untrusted", untrusted,
                        NodeContainers.awaitExit(untrusted, Duration.ofSeconds(40)));
                // Still full once both are done: the two dialled into a full system scope.
                whileFull = control.snapshot();
                watcher.accept(whileFull);
                assertTrue(flooder.isRunning(), "the flooder still holds its connections");
                flooderResult = StormResult.of("flooder", flooder, NodeContainers.awaitExit(flooder, Duration.ofSeconds(40)));
                watcher.sampleOnce();
                report.storms(List.of(flooderResult, trustedResult, untrustedResult));
                report.line("system conns in use when both were done: %d/%d",
                        Control.scope(whileFull, "system").path("usage").path("connsInbound").asLong(), SYSTEM_CONNS);
                report.raw(watcher.table());
                assertEquals(List.of(), watcher.violations(), "no peak above its limit");

                PeakWatcher.Seen system = watcher.scope("system");
                PeakWatcher.Seen allowlisted = watcher.scope("allowlistedSystem");
                assertEquals(SYSTEM_CONNS, system.peak().get("connsInbound"), "the system scope was full, never more");
                assertEquals(2L, allowlisted.peak().get("connsInbound"),
                        "the trusted container's two connections went to the allowlisted system scope");
            }
            assertEquals(SYSTEM_CONNS, Control.scope(whileFull, "system").path("usage").path("connsInbound").asLong(),
                    "the system scope was still full when the trusted and untrusted storms ended");

            assertEquals(SYSTEM_CONNS, flooderResult.connsAdmitted(), "the flooder filled the system scope");
            assertEquals(Map.of("scope:system", (long) (FLOOD - SYSTEM_CONNS)), flooderResult.connsRefusedBy());
            assertEquals(2, trustedResult.connsAdmitted(), "the allowlisted container connects while the system is full");
            assertEquals(0, trustedResult.connsRefused() + trustedResult.connsFailed());
            assertEquals(4, trustedResult.streamsCompleted(), "and its streams complete");
            assertEquals(0, untrustedResult.connsAdmitted(), "the non-allowlisted container does not connect");
            assertEquals(Map.of("scope:system", 2L), untrustedResult.connsRefusedBy(),
                    "it is refused by the full system scope");

            JsonNode refusals = control.refusals();
            report.line("target refused connections: %s",
                    Report.compact(Control.counts(refusals.path("node").path("connsRefused"))));
            assertEquals(Map.of("scope:system", (long) (FLOOD - SYSTEM_CONNS + 2)),
                    Control.counts(refusals.path("node").path("connsRefused")));

            JsonNode exactness = control.awaitIdle(Duration.ofSeconds(30));
            report.line("after: scopes at zero %s, live buffers %d, native bytes %d",
                    exactness.path("scopesZero").asBoolean(), exactness.path("liveBuffers").asLong(),
                    exactness.path("nativeBytes").asLong());
            assertEquals(List.of(), Control.nonZero(control.snapshot()));
        } finally {
            report.print();
        }
    }
}
