package org.jrcmgr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
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
 * Scenario 1: four containers flood one target whose limits (a go-libp2p limit file) are small.
 * The target never exceeds a limit (its peaks, sampled during the storm and read at the end, prove
 * it), it refuses the excess (counted by reason on both sides), and afterwards every scope and all
 * native memory are back at zero.
 */
@RequiresDocker
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StormIT {

    /**
     * The target's limits, go-libp2p's JSON: 12 inbound connections in all, 8 in the transient
     * scope (before the handshake names the peer), 4 per peer, 12 inbound streams per peer, 4 slow
     * streams per peer, 1 MiB per stream (a 1.5 MiB bulk transfer is reset), 6 MiB per peer.
     */
    static final String LIMITS = """
            {
              "System":    {"Conns": 24, "ConnsInbound": 12, "ConnsOutbound": 12, "FD": 24,
                            "Streams": 96, "StreamsInbound": 48, "StreamsOutbound": 48, "Memory": "33554432"},
              "Transient": {"Conns": 8, "ConnsInbound": 8, "ConnsOutbound": 8, "FD": 8,
                            "Streams": 16, "StreamsInbound": 16, "StreamsOutbound": 16, "Memory": "4194304"},
              "PeerDefault": {"Conns": 4, "ConnsInbound": 4, "ConnsOutbound": 4, "FD": 4,
                              "Streams": 16, "StreamsInbound": 12, "StreamsOutbound": 12, "Memory": "6291456"},
              "Protocol":     {"/slow/1.0.0": {"Streams": 12, "StreamsInbound": 12, "StreamsOutbound": 12, "Memory": "1048576"}},
              "ProtocolPeer": {"/slow/1.0.0": {"Streams": 4, "StreamsInbound": 4, "StreamsOutbound": 4, "Memory": "1048576"}},
              "Conn":   {"Conns": 1, "ConnsInbound": 1, "ConnsOutbound": 1, "FD": 1, "Memory": "1048576"},
              "Stream": {"Streams": 1, "StreamsInbound": 1, "StreamsOutbound": 1, "Memory": "1048576"}
            }
            """;

    static final int STORMS = 4;
    static final int CONNS = 12;
    static final int STREAMS = 6;

    @Test
    void fourContainersFloodOneTargetThatStaysWithinItsLimitsAndGivesEverythingBack() throws Exception {
        Report report = new Report("StormIT: " + STORMS + " storm containers x " + CONNS + " connections x "
                + STREAMS + " streams (echo, slow, bulk) against one target with small limits");
        try (Network net = Network.newNetwork();
             GenericContainer<?> target = NodeContainers.node(net, "target", LIMITS,
                     "--conns-per-ip", "64", "--conn-rate", "unlimited");
             ContainerGroup storms = new ContainerGroup()) {
            target.start();
            Control control = new Control("target", target);

            List<StormResult> results = new ArrayList<>();
            PeakWatcher watcher = new PeakWatcher(control, 250);
            try (watcher) {
                for (int i = 1; i <= STORMS; i++) {
                    storms.add(NodeContainers.storm(net, "storm-" + i,
                            "--target", "target:" + NodeContainers.PORT,
                            "--conns", String.valueOf(CONNS), "--streams", String.valueOf(STREAMS),
                            "--protocol", "/echo/1.0.0,/slow/1.0.0,/bulk/1.0.0",
                            "--payload", "4k", "--bulk-bytes", "1536k", "--slow-hold", "2s",
                            "--hold", "5s", "--duration", "15s")).start();
                }
                for (int i = 0; i < STORMS; i++) {
                    GenericContainer<?> storm = storms.all().get(i);
                    long exit = NodeContainers.awaitExit(storm, Duration.ofSeconds(90));
                    results.add(StormResult.of("storm-" + (i + 1), storm, exit));
                }
            }
            report.storms(results);

            // Every storm's counts add up, and together they were refused something.
            long attempted = 0;
            long admitted = 0;
            long refused = 0;
            for (StormResult r : results) {
                assertTrue(r.consistent(), r.name() + "'s counts add up: " + r.json());
                attempted += r.connsAttempted();
                admitted += r.connsAdmitted();
                refused += r.connsRefused() + r.streamsRefused() + r.streamsReset();
            }
            assertEquals((long) STORMS * CONNS, attempted, "every connection was attempted");
            assertTrue(admitted > 0, "the target admitted connections");
            assertTrue(refused > 0, "the storm exceeded the target's limits and was refused something");

            // The target's own count of what it refused, by reason.
            JsonNode refusals = control.refusals();
            Map<String, Long> connsRefused = Control.counts(refusals.path("node").path("connsRefused"));
            Map<String, Long> streamsRefused = Control.counts(refusals.path("node").path("streamsRefused"));
            Map<String, Long> resetsSent = Control.counts(refusals.path("node").path("resetsSent"));
            long managerRefusals = refusals.path("counts").path("total").asLong();
            report.line("target refused: connections %s; streams %s; resets sent %s; manager refusals %d by scope kind %s",
                    Report.compact(connsRefused), Report.compact(streamsRefused), Report.compact(resetsSent),
                    managerRefusals, Report.compact(Control.counts(refusals.path("counts").path("byScopeKind"))));
            long targetConnRefusals = connsRefused.values().stream().mapToLong(Long::longValue).sum();
            assertTrue(targetConnRefusals > 0, "the target refused connections: " + refusals.path("node"));
            assertTrue(connsRefused.keySet().stream().anyMatch(k -> k.startsWith("scope:")),
                    "a scope limit refused connections: " + connsRefused);
            assertTrue(managerRefusals > 0, "the manager counted its refusals");
            // Both sides agree, reason by reason: every refusal reached its storm with its cause.
            assertEquals(connsRefused, StormResult.merge(results.stream().map(StormResult::connsRefusedBy).toList()),
                    "connection refusals by reason: the target's count equals the storms' reports");
            assertEquals(streamsRefused, StormResult.merge(results.stream().map(StormResult::streamsRefusedBy).toList()),
                    "stream refusals by reason: the target's count equals the storms' reports");
            assertEquals(resetsSent, StormResult.merge(results.stream().map(StormResult::streamsResetBy).toList()),
                    "stream resets by reason: the target's count equals the storms' reports");

            // Peaks: every sample taken during the storm, and the scopes alive at the end.
            JsonNode peaks = control.peaks();
            JsonNode snapshotAfter = control.snapshot();
            watcher.accept(snapshotAfter);
            report.raw(watcher.table());
            assertTrue(watcher.samples() >= 5, "the target was sampled during the storm: " + watcher.samples()
                    + " samples, last error " + watcher.lastError());
            assertEquals(List.of(), watcher.violations(), "no peak above its limit in any sample");
            assertTrue(peaks.path("withinLimits").asBoolean(), "/peaks: every live scope within its limits: " + peaks);
            assertEquals(List.of(), Control.violations(snapshotAfter), "no peak above its limit at the end");
            // The limits were reached, not merely approached: the storm was large enough.
            long systemPeak = Control.scope(snapshotAfter, "system").path("peak").path("connsInbound").asLong();
            long transientPeak = Control.scope(snapshotAfter, "transient").path("peak").path("connsInbound").asLong();
            PeakWatcher.Seen peer = watcher.byKind("connsInbound").get("peer");
            long peerPeak = peer == null ? 0 : peer.peak().getOrDefault("connsInbound", 0L);
            assertTrue(systemPeak == 12 || transientPeak == 8 || peerPeak == 4,
                    "a connection limit was reached: system " + systemPeak + "/12, transient " + transientPeak
                            + "/8, peer " + peerPeak + "/4");

            // Back to zero: every scope's usage and all native memory.
            JsonNode exactness = control.awaitIdle(Duration.ofSeconds(30));
            JsonNode snapshot = control.snapshot();
            report.line("after: scopes at zero %s (%d live scopes), live buffers %d, live bytes %d, reserved %d,"
                            + " native %d, chronicle native %d, balanced %s",
                    exactness.path("scopesZero").asBoolean(), snapshot.path("scopes").size(),
                    exactness.path("liveBuffers").asLong(), exactness.path("liveBytes").asLong(),
                    exactness.path("reservedBytes").asLong(), exactness.path("nativeBytes").asLong(),
                    exactness.path("chronicleNativeMemoryUsed").asLong(), exactness.path("balanced").asBoolean());
            assertEquals(List.of(), Control.nonZero(snapshot), "every scope's usage is back at zero");
            assertEquals(0, exactness.path("liveBuffers").asLong(), "no live buffer");
            assertEquals(0, exactness.path("reservedBytes").asLong(), "no reserved byte");
            assertEquals(0, exactness.path("nativeBytes").asLong(), "no native byte");
            assertEquals(0, exactness.path("leakedBuffers").asLong(), "no leaked buffer");
            assertEquals(0, control.get("/health").path("connections").asLong(), "no connection open");
        } finally {
            report.print();
        }
    }
}
