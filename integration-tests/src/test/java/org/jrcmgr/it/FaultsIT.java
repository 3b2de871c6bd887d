package org.jrcmgr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * Scenario 4: faults in the middle of a storm. Three containers storm the target with connections
 * and streams they hold (slow streams, bulk transfers, a hold on every connection). Once the target
 * holds connections of each, one container is killed ({@code SIGKILL}) and another paused (its
 * processes frozen; its connections stay open, silent), then resumed. The target reclaims every
 * scope of the dead peer (its connections disappear and every scope named after it goes to zero)
 * while the other storms go on; it stays within its limits throughout; and once the paused storm
 * has resumed and finished, everything is back at zero.
 */
@RequiresDocker
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultsIT {

    static final String LIMITS = """
            {
              "System":    {"Conns": 32, "ConnsInbound": 16, "ConnsOutbound": 16, "FD": 32,
                            "Streams": 96, "StreamsInbound": 64, "StreamsOutbound": 32, "Memory": "50331648"},
              "Transient": {"Conns": 16, "ConnsInbound": 16, "ConnsOutbound": 16, "FD": 16,
                            "Streams": 32, "StreamsInbound": 32, "StreamsOutbound": 32, "Memory": "8388608"},
              "PeerDefault": {"Conns": 6, "ConnsInbound": 6, "ConnsOutbound": 6, "FD": 6,
                              "Streams": 24, "StreamsInbound": 16, "StreamsOutbound": 16, "Memory": "12582912"},
              "Stream": {"Streams": 1, "StreamsInbound": 1, "StreamsOutbound": 1, "Memory": "1048576"}
            }
            """;

    static final Duration PAUSE = Duration.ofSeconds(3);

    @Test
    void theTargetReclaimsAKilledPeerAndOutlastsAPausedOneWithinItsLimits() throws Exception {
        Report report = new Report("FaultsIT: three storms hold connections and streams; one is killed, one paused"
                + " for " + PAUSE.toSeconds() + " s then resumed, one goes on");
        DockerClient docker = DockerClientFactory.instance().client();
        try (Network net = Network.newNetwork();
             GenericContainer<?> target = NodeContainers.node(net, "target", LIMITS,
                     "--conns-per-ip", "64", "--conn-rate", "unlimited");
             ContainerGroup storms = new ContainerGroup()) {
            target.start();
            Control control = new Control("target", target);
            String[] storm = {"--target", "target:" + NodeContainers.PORT, "--conns", "6", "--streams", "4",
                "--protocol", "/slow/1.0.0,/echo/1.0.0,/bulk/1.0.0", "--slow-hold", "3s", "--bulk-bytes", "512k",
                "--hold", "10s", "--duration", "25s"};
            GenericContainer<?> killed = storms.add(NodeContainers.storm(net, "killed", storm));
            GenericContainer<?> paused = storms.add(NodeContainers.storm(net, "paused", storm));
            GenericContainer<?> survivor = storms.add(NodeContainers.storm(net, "survivor", storm));

            List<StormResult> results = new ArrayList<>();
            try (PeakWatcher watcher = new PeakWatcher(control, 250)) {
                for (GenericContainer<?> c : storms.all()) {
                    c.start();
                }
                String killedIp = NodeContainers.addressOn(killed, net);
                String pausedIp = NodeContainers.addressOn(paused, net);
                // Mid-storm: both hold established connections (their peer is known) on the target.
                JsonNode before = control.await("/connections", c -> established(c, killedIp) > 0
                        && established(c, pausedIp) > 0, Duration.ofSeconds(40), "connections of both victims");
                Set<String> killedPeers = peersOf(before, killedIp);
                JsonNode snapshotBefore = control.snapshot();
                watcher.accept(snapshotBefore);
                List<String> killedScopesBefore = scopesOf(snapshotBefore, killedPeers);

                long t0 = System.nanoTime();
                docker.killContainerCmd(killed.getContainerId()).exec();
                docker.pauseContainerCmd(paused.getContainerId()).exec();
                long pausedAt = System.nanoTime();

                // The dead peer's connections and scopes are reclaimed while the others still run.
                control.await("/connections", c -> established(c, killedIp) == 0 && count(c, killedIp) == 0,
                        Duration.ofSeconds(20), "no connection of the killed container");
                JsonNode reclaimed = control.await("/snapshot", s -> scopesOf(s, killedPeers).isEmpty(),
                        Duration.ofSeconds(20), "every scope of the killed peer at zero");
                long reclaimMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                watcher.accept(reclaimed);
                int pausedHeld = control.connectionsByAddress().getOrDefault(pausedIp, 0);

                long remaining = PAUSE.toNanos() - (System.nanoTime() - pausedAt);
                if (remaining > 0) {
                    TimeUnit.NANOSECONDS.sleep(remaining);
                }
                int pausedHeldLate = control.connectionsByAddress().getOrDefault(pausedIp, 0);
                docker.unpauseContainerCmd(paused.getContainerId()).exec();
                long pausedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt);

                long killedExit = NodeContainers.awaitExit(killed, Duration.ofSeconds(10));
                results.add(StormResult.of("paused", paused, NodeContainers.awaitExit(paused, Duration.ofSeconds(60))));
                results.add(StormResult.of("survivor", survivor, NodeContainers.awaitExit(survivor, Duration.ofSeconds(60))));
                watcher.sampleOnce();

                report.line("killed %s (peer %s): %d scope(s) in use before the kill, %s", killedIp, killedPeers,
                        killedScopesBefore.size(), String.join("; ", killedScopesBefore));
                report.line("killed container exit code %d; its connections and scopes reclaimed %d ms after the kill",
                        killedExit, reclaimMillis);
                report.line("paused %s for %d ms: the target held %d of its connections right after the pause, %d at"
                        + " its end", pausedIp, pausedMillis, pausedHeld, pausedHeldLate);
                report.storms(results);
                report.raw(watcher.table());

                assertEquals(137, killedExit, "the killed container was killed (SIGKILL)");
                assertTrue(!killedScopesBefore.isEmpty(), "the killed peer held scopes on the target before the kill");
                assertEquals(List.of(), watcher.violations(), "no peak above its limit, before, during or after the faults");
                assertTrue(watcher.samples() >= 10, "sampled throughout: " + watcher.samples());
            }
            for (StormResult r : results) {
                assertTrue(r.consistent(), r.name() + "'s counts add up: " + r.json());
                assertTrue(r.connsAdmitted() > 0, r.name() + " was admitted connections");
                assertTrue(r.streamsCompleted() > 0, r.name() + " completed streams");
            }
            assertTrue(results.get(0).connsAdmitted() > 0 && results.get(0).streamsAttempted() > 0,
                    "the paused storm resumed and finished");

            JsonNode exactness = control.awaitIdle(Duration.ofSeconds(30));
            JsonNode snapshot = control.snapshot();
            JsonNode peaks = control.peaks();
            report.line("after: scopes at zero %s, live buffers %d, reserved %d, native %d, leaked %d; /peaks within"
                            + " limits %s", exactness.path("scopesZero").asBoolean(),
                    exactness.path("liveBuffers").asLong(), exactness.path("reservedBytes").asLong(),
                    exactness.path("nativeBytes").asLong(), exactness.path("leakedBuffers").asLong(),
                    peaks.path("withinLimits").asBoolean());
            assertEquals(List.of(), Control.nonZero(snapshot), "every scope back at zero");
            assertEquals(0, exactness.path("nativeBytes").asLong());
            assertEquals(0, exactness.path("liveBuffers").asLong());
            assertTrue(peaks.path("withinLimits").asBoolean(), peaks.toString());
            assertEquals(List.of(), Control.violations(snapshot));
        } finally {
            report.print();
        }
    }

    /** Connections from {@code ip} whose handshake named their peer. */
    static long established(JsonNode connections, String ip) {
        long n = 0;
        for (JsonNode c : connections.path("connections")) {
            if (ip.equals(Control.ipOf(c.path("remoteAddress").asText())) && !c.path("peer").isNull()
                    && !c.path("peer").asText().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** Connections from {@code ip}, established or not. */
    static long count(JsonNode connections, String ip) {
        long n = 0;
        for (JsonNode c : connections.path("connections")) {
            if (ip.equals(Control.ipOf(c.path("remoteAddress").asText()))) {
                n++;
            }
        }
        return n;
    }

    static Set<String> peersOf(JsonNode connections, String ip) {
        Set<String> peers = new TreeSet<>();
        for (JsonNode c : connections.path("connections")) {
            if (ip.equals(Control.ipOf(c.path("remoteAddress").asText())) && c.path("peer").isTextual()) {
                peers.add(c.path("peer").asText());
            }
        }
        return peers;
    }

    /** The scopes named after one of {@code peers} (peer, protocol-peer, service-peer) whose usage is not zero. */
    static List<String> scopesOf(JsonNode snapshot, Set<String> peers) {
        List<String> out = new ArrayList<>();
        for (String line : Control.nonZero(snapshot)) {
            for (String peer : peers) {
                if (line.contains(peer)) {
                    out.add(line);
                }
            }
        }
        return out;
    }
}
