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
 * Scenario 5: a mesh of five nodes storming each other at once, each with small limits. Every node
 * is a container on its own address; next to each runs a storm in the same network namespace (so
 * its connections leave from that node's address) that dials the four other nodes at the same
 * time as the others dial it. Every node's invariants hold: no peak above its limit while the mesh
 * storms (sampled) or at the end, refusals counted by reason and matching what the storms were told,
 * and every scope and all native memory back at zero afterwards.
 *
 * <p>The storm is a second process beside each node (a container sharing the node container's
 * network namespace) because the node's {@code storm} command does not serve while it storms: it
 * listens on its own loopback only, and exits when the storm ends.
 */
@RequiresDocker
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MeshIT {

    static final int NODES = 5;
    static final int CONNS_PER_TARGET = 4;

    /**
     * Each node: 6 inbound connections in all, 2 per peer; 6 inbound streams per peer, 2 slow ones
     * per peer; 1 MiB per stream (the 1.5 MiB bulk transfers are reset).
     */
    static final String LIMITS = """
            {
              "System":    {"Conns": 24, "ConnsInbound": 6, "ConnsOutbound": 24, "FD": 24,
                            "Streams": 64, "StreamsInbound": 32, "StreamsOutbound": 32, "Memory": "33554432"},
              "Transient": {"Conns": 8, "ConnsInbound": 6, "ConnsOutbound": 8, "FD": 8,
                            "Streams": 16, "StreamsInbound": 16, "StreamsOutbound": 16, "Memory": "4194304"},
              "PeerDefault": {"Conns": 4, "ConnsInbound": 2, "ConnsOutbound": 4, "FD": 4,
                              "Streams": 12, "StreamsInbound": 6, "StreamsOutbound": 12, "Memory": "6291456"},
              "ProtocolPeer": {"/slow/1.0.0": {"Streams": 2, "StreamsInbound": 2, "StreamsOutbound": 2, "Memory": "1048576"}},
              "Stream": {"Streams": 1, "StreamsInbound": 1, "StreamsOutbound": 1, "Memory": "1048576"}
            }
            """;

    @Test
    void fiveNodesStormEachOtherAndEveryNodesInvariantsHold() throws Exception {
        Report report = new Report("MeshIT: " + NODES + " nodes, each stormed by the other four at once ("
                + CONNS_PER_TARGET + " connections x 3 streams from each)");
        try (Network net = Network.newNetwork();
             ContainerGroup nodes = new ContainerGroup();
             ContainerGroup storms = new ContainerGroup()) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                names.add("n" + i);
                nodes.add(NodeContainers.node(net, "n" + i, LIMITS));
            }
            // Start the nodes together: each start returns once its node listens.
            List<String> ips = new ArrayList<>();
            List<Control> controls = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                nodes.all().get(i).start();
            }
            for (int i = 0; i < NODES; i++) {
                ips.add(NodeContainers.addressOn(nodes.all().get(i), net));
                controls.add(new Control(names.get(i), nodes.all().get(i)));
            }
            for (int i = 0; i < NODES; i++) {
                List<String> targets = new ArrayList<>();
                for (int j = 0; j < NODES; j++) {
                    if (j != i) {
                        targets.add(ips.get(j) + ":" + NodeContainers.PORT);
                    }
                }
                GenericContainer<?> storm = NodeContainers.storm(null, names.get(i) + "-storm",
                        "--target", String.join(",", targets),
                        "--conns", String.valueOf(CONNS_PER_TARGET * (NODES - 1)), "--streams", "3",
                        "--protocol", "/echo/1.0.0,/slow/1.0.0,/bulk/1.0.0", "--payload", "4k",
                        "--bulk-bytes", "1536k", "--slow-hold", "1500ms", "--hold", "4s", "--duration", "15s");
                // In node i's network namespace: its connections leave from node i's address.
                storm.withNetworkMode("container:" + nodes.all().get(i).getContainerId());
                storms.add(storm);
            }

            List<PeakWatcher> watchers = new ArrayList<>();
            List<StormResult> results = new ArrayList<>();
            try {
                for (Control c : controls) {
                    watchers.add(new PeakWatcher(c, 400));
                }
                for (GenericContainer<?> s : storms.all()) {
                    s.start();
                }
                for (int i = 0; i < NODES; i++) {
                    GenericContainer<?> s = storms.all().get(i);
                    results.add(StormResult.of(names.get(i) + "-storm", s, NodeContainers.awaitExit(s, Duration.ofSeconds(90))));
                }
            } finally {
                for (PeakWatcher w : watchers) {
                    w.close();
                }
            }
            report.storms(results);

            report.line("%-4s %-12s %6s %-48s %-22s %-12s %-12s %s", "node", "address", "in", "conns refused",
                    "streams refused/reset", "system in", "peer in", "after");
            long nodeRefusedTotal = 0;
            Map<String, Long> nodeConnsRefused = new java.util.TreeMap<>();
            for (int i = 0; i < NODES; i++) {
                Control c = controls.get(i);
                PeakWatcher w = watchers.get(i);
                JsonNode exactness = c.awaitIdle(Duration.ofSeconds(30));
                JsonNode snapshot = c.snapshot();
                w.accept(snapshot);
                JsonNode counts = c.refusals().path("node");
                Map<String, Long> connsRefused = Control.counts(counts.path("connsRefused"));
                connsRefused.forEach((k, v) -> nodeConnsRefused.merge(k, v, Long::sum));
                long streamsRefused = Control.sum(counts.path("streamsRefused"));
                long resets = Control.sum(counts.path("resetsSent"));
                PeakWatcher.Seen peer = w.byKind("connsInbound").get("peer");
                report.line("%-4s %-12s %6d %-48s %-22s %-12s %-12s %s", names.get(i), ips.get(i),
                        counts.path("connsAdmittedInbound").asLong(), Report.compact(connsRefused),
                        streamsRefused + "/" + resets,
                        w.scope("system").peak().get("connsInbound") + "/" + w.scope("system").limit().get("connsInbound"),
                        peer == null ? "-" : peer.peak().get("connsInbound") + "/" + peer.limit().get("connsInbound"),
                        exactness.path("idle").asBoolean() ? "idle, native " + exactness.path("nativeBytes").asLong()
                                : "NOT IDLE");

                assertEquals(List.of(), w.violations(), names.get(i) + ": no peak above its limit during the mesh");
                assertTrue(w.samples() >= 5, names.get(i) + " was sampled during the storm: " + w.samples());
                assertTrue(c.peaks().path("withinLimits").asBoolean(), names.get(i) + ": /peaks within limits");
                assertEquals(List.of(), Control.violations(snapshot), names.get(i) + ": no peak above its limit");
                assertTrue(counts.path("connsAdmittedInbound").asLong() > 0, names.get(i) + " admitted connections");
                long refused = Control.sum(counts.path("connsRefused")) + streamsRefused + resets;
                assertTrue(refused > 0, names.get(i) + " refused what exceeded its limits: " + counts);
                nodeRefusedTotal += refused;
                assertEquals(List.of(), Control.nonZero(snapshot), names.get(i) + ": every scope back at zero");
                assertEquals(0, exactness.path("nativeBytes").asLong(), names.get(i) + ": no native byte");
                assertEquals(0, exactness.path("liveBuffers").asLong(), names.get(i) + ": no live buffer");
            }
            long attempted = 0;
            long admitted = 0;
            for (StormResult r : results) {
                assertTrue(r.consistent(), r.name() + "'s counts add up: " + r.json());
                attempted += r.connsAttempted();
                admitted += r.connsAdmitted();
            }
            assertEquals((long) NODES * (NODES - 1) * CONNS_PER_TARGET, attempted);
            assertTrue(admitted >= NODES, "every node admitted connections: " + admitted + " in all");
            assertEquals(nodeConnsRefused, StormResult.merge(results.stream().map(StormResult::connsRefusedBy).toList()),
                    "connection refusals by reason: the nodes' counts equal the storms' reports");
            report.line("refusals counted by the nodes in all: %d; connection refusals by reason %s", nodeRefusedTotal,
                    Report.compact(nodeConnsRefused));
        } finally {
            report.print();
        }
    }
}
