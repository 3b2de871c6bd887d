package org.jrcmgr.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.node.protocol.Exchanges;
import org.jrcmgr.node.protocol.Protocols;
import org.jrcmgr.node.storm.Storm;
import org.jrcmgr.node.storm.StormConfig;
import org.jrcmgr.node.storm.StormReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class StormTest {

    /** Six inbound connections per peer, four slow streams at once, 1 MiB per stream. */
    private static ConcreteLimitConfig smallTarget() {
        ConcreteLimitConfig base = TestNodes.base();
        BaseLimit slow = base.protocolDefault().toBuilder().streams(4, 8, 8).build();
        return base.toBuilder()
                .peerDefault(TestNodes.conns(base.peerDefault(), 6, 8, 8))
                .protocol(Protocols.SLOW, slow)
                .protocolPeer(Protocols.SLOW, slow)
                .stream(base.stream().toBuilder().memory(1L << 20).build())
                .build();
    }

    @Test
    void stormCountsAddUpAndRefusalsCarryTheirReasons() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node target = nodes.start("target", smallTarget());
            Node stormer = nodes.start("stormer", ConcreteLimitConfig.infinite());
            StormConfig config = new StormConfig(List.of(target.listenAddress()), 10, 6,
                    // Connections are held 2 s, so the six the peer scope admits are all open at once.
                    List.of(Protocols.ECHO, Protocols.SLOW, Protocols.BULK), Duration.ofSeconds(20), Duration.ofSeconds(2),
                    new Exchanges.Settings(2048, 1536 * 1024, ReservationPriority.MEDIUM, Duration.ofMillis(500)));
            StormReport report = Storm.run(stormer, config);

            assertTrue(report.consistent(), report.toTable());
            assertFalse(report.deadlineReached(), report.toTable());
            assertEquals(10, report.connsAttempted());
            assertEquals(report.connsAttempted(), report.connsAdmitted() + report.connsRefused() + report.connsFailed());
            // One peer: six connections fit, four are refused at setPeer by the peer scope.
            assertEquals(6, report.connsAdmitted(), report.toTable());
            assertEquals(Map.of("scope:peer", 4L), report.connsRefusedByReason());
            assertEquals(36, report.streamsAttempted());
            assertEquals(report.streamsAttempted(), report.streamsCompleted() + report.streamsRefused()
                    + report.streamsReset() + report.streamsFailed());
            // 12 slow streams against a limit of four at once: some refused by the protocol (or its per-peer share).
            assertTrue(report.streamsRefused() > 0, report.toTable());
            report.streamsRefusedByReason().keySet().forEach(k -> assertTrue(k.startsWith("scope:protocol"), k));
            // Every 1.5 MiB bulk transfer is reset when its stream's memory runs out.
            assertEquals(Map.of("scope:stream", 12L), report.streamsResetByReason(), report.toTable());
            assertEquals(0, report.streamsFailed(), report.toTable());
            assertEquals(report.streamsAdmitted(), report.streamsCompleted() + report.streamsReset());
            // The target's own counts agree with what the stormer saw.
            assertEquals(4L, target.counters().connsRefused().get("scope:peer"));
            assertEquals(report.streamsRefused(),
                    target.counters().streamsRefused().values().stream().mapToLong(Long::longValue).sum());

            JsonNode json = report.toJson();
            assertEquals(10, json.path("connections").path("attempted").asLong());
            assertEquals(4, json.path("connections").path("refusedByReason").path("scope:peer").asLong());
            assertEquals(12, json.path("streams").path("resetByReason").path("scope:stream").asLong());
            assertTrue(json.path("consistent").asBoolean());
            assertTrue(json.path("examples").path("connection scope:peer").asText().contains("refused by peer:"));

            TestNodes.assertIdle(target, stormer);
        }
    }

    @Test
    void stormHoldsConnectionsAndStopsAtItsDeadline() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node target = nodes.start("target", TestNodes.base());
            Node stormer = nodes.start("stormer", ConcreteLimitConfig.infinite());
            // Slow streams held for 30 s by a node that caps holds at 30 s, in a storm bounded at 1 s.
            StormConfig config = new StormConfig(List.of(target.listenAddress()), 3, 2, List.of(Protocols.SLOW),
                    Duration.ofSeconds(1), Duration.ofMinutes(5),
                    new Exchanges.Settings(1, 1, ReservationPriority.LOW, Duration.ofSeconds(30)));
            long start = System.nanoTime();
            StormReport report = Storm.run(stormer, config);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertTrue(report.deadlineReached());
            assertTrue(tookMillis < 8_000, "took " + tookMillis + " ms");
            assertEquals(3, report.connsAdmitted());
            assertEquals(6, report.streamsAdmitted());
            assertEquals(Map.of("timeout", 6L), report.streamsFailedByReason(), report.toTable());
            assertTrue(report.consistent());
            TestNodes.assertIdle(target, stormer);
        }
    }

    @Test
    void unreachableTargetIsAFailureNotARefusal() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node stormer = nodes.start("stormer", ConcreteLimitConfig.infinite());
            int closedPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            StormConfig config = new StormConfig(
                    List.of(new java.net.InetSocketAddress("127.0.0.1", closedPort)), 3, 1, List.of(Protocols.ECHO),
                    Duration.ofSeconds(10), Duration.ZERO, Exchanges.Settings.DEFAULT);
            StormReport report = Storm.run(stormer, config);
            assertEquals(3, report.connsFailed(), report.toTable());
            assertEquals(Map.of("local-io", 3L), report.connsFailedByReason());
            assertEquals(0, report.streamsAttempted());
            assertTrue(report.consistent());
            TestNodes.assertIdle(stormer);
        }
    }
}
