package org.jrcmgr.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scripted scenario through a real manager, checked line by line in the Prometheus scrape: every
 * series go-libp2p publishes, with go's values for the same sequence of events.
 */
class ScrapeScenarioTest {

    static final Multiaddr ADDR = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001");
    static final PeerId P1 = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");
    static final ProtocolId ECHO = ProtocolId.of("/echo/1.0.0");

    /**
     * Small limits, so that each kind of refusal can be provoked: transient admits 3 connections,
     * system 2 descriptors, a peer 1 inbound connection and 1 inbound stream, the echo protocol 1
     * stream, a connection 64 KiB, a peer 256 KiB, the system 1 MiB.
     */
    static ConcreteLimitConfig smallLimits() {
        LimitValue unlimited = LimitValue.unlimited();
        BaseLimit system = BaseLimit.builder().memory(1 << 20).fd(2).conns(10, 10, 10).streams(20, 20, 20).build();
        BaseLimit transientLimit = BaseLimit.builder().memory(1 << 20).fd(10).conns(10, 10, 3).streams(10, 10, 10)
                .build();
        BaseLimit peer = BaseLimit.builder().memory(256 << 10).fd(unlimited).conns(1, 1, 2).streams(1, 10, 10).build();
        BaseLimit conn = BaseLimit.builder().memory(64 << 10).fd(1).conns(1, 1, 1)
                .streams(unlimited, unlimited, unlimited).build();
        BaseLimit stream = BaseLimit.builder().memory(64 << 10).streams(1, 1, 1).build();
        BaseLimit protocol = BaseLimit.builder().memory(1 << 20).streams(1, 1, 1).build();
        return ConcreteLimitConfig.infinite().toBuilder()
                .system(system)
                .transientLimit(transientLimit)
                .peerDefault(peer)
                .conn(conn)
                .stream(stream)
                .protocolDefault(protocol)
                .build();
    }

    static ResourceManager manager(RcmgrMetrics metrics) {
        return ResourceManagerBuilder.create()
                .limits(smallLimits())
                .collectInterval(null)
                .flightRecorder(false)
                .refusalSummary(null)
                .observer(metrics)
                .build();
    }

    PrometheusMeterRegistry registry;
    RcmgrMetrics metrics;
    ResourceManager rcmgr;

    @BeforeEach
    void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        rcmgr = manager(metrics);
    }

    @AfterEach
    void tearDown() {
        rcmgr.close();
        registry.close();
    }

    @Test
    void scenarioProducesGoSeriesAndValues() {
        ConnManagementScope c1 = rcmgr.openConnection(Direction.INBOUND, true, ADDR);
        ConnManagementScope c2 = rcmgr.openConnection(Direction.OUTBOUND, false, ADDR);
        ConnManagementScope c3 = rcmgr.openConnection(Direction.INBOUND, true, ADDR);
        // transient holds 3 connections, its total: refused by the total limit, counted as outbound + fd.
        refused(() -> rcmgr.openConnection(Direction.OUTBOUND, true, ADDR));
        c1.setPeer(P1);
        // transient has room again, the system has no descriptor left: inbound connection + fd.
        refused(() -> rcmgr.openConnection(Direction.INBOUND, true, ADDR));
        // P1 admits one inbound connection: the refused transfer counts what c3 holds.
        refused(() -> c3.setPeer(P1));
        c2.setPeer(P1);

        StreamManagementScope s1 = rcmgr.openStream(P1, Direction.INBOUND);
        refused(() -> rcmgr.openStream(P1, Direction.INBOUND));
        StreamManagementScope s3 = rcmgr.openStream(P1, Direction.OUTBOUND);
        s1.setProtocol(ECHO);
        // The protocol's total of 1 is taken: direction recovered from the moved stream.
        refused(() -> s3.setProtocol(ECHO));

        s1.reserveMemory(16 << 10, ReservationPriority.ALWAYS);
        c2.reserveMemory(32 << 10, ReservationPriority.ALWAYS);
        refused(() -> c2.reserveMemory(40_000, ReservationPriority.ALWAYS));
        boolean admitted = rcmgr.viewPeer(P1, p -> p.tryReserveMemory(250_000, ReservationPriority.ALWAYS));
        assertFalse(admitted);
        refused(() -> rcmgr.viewTransient(t -> {
            t.reserveMemory(1_000_000, ReservationPriority.ALWAYS);
            return null;
        }));
        c2.releaseMemory(32 << 10);

        String scrape = registry.scrape();
        assertLines(scrape,
                "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 2.0",
                "libp2p_rcmgr_connections{dir=\"outbound\",scope=\"system\"} 1.0",
                "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"transient\"} 1.0",
                "libp2p_rcmgr_connections{dir=\"outbound\",scope=\"transient\"} 0.0",
                "libp2p_rcmgr_fds{scope=\"system\"} 2.0",
                "libp2p_rcmgr_fds{scope=\"transient\"} 1.0",

                "libp2p_rcmgr_streams{dir=\"inbound\",protocol=\"\",scope=\"system\"} 1.0",
                "libp2p_rcmgr_streams{dir=\"outbound\",protocol=\"\",scope=\"system\"} 1.0",
                "libp2p_rcmgr_streams{dir=\"inbound\",protocol=\"\",scope=\"transient\"} 0.0",
                "libp2p_rcmgr_streams{dir=\"outbound\",protocol=\"\",scope=\"transient\"} 1.0",
                "libp2p_rcmgr_streams{dir=\"inbound\",protocol=\"/echo/1.0.0\",scope=\"protocol\"} 1.0",
                "libp2p_rcmgr_streams{dir=\"outbound\",protocol=\"/echo/1.0.0\",scope=\"protocol\"} 0.0",

                "libp2p_rcmgr_memory{protocol=\"\",scope=\"system\"} 16384.0",
                "libp2p_rcmgr_memory{protocol=\"\",scope=\"transient\"} 0.0",
                "libp2p_rcmgr_memory{protocol=\"/echo/1.0.0\",scope=\"protocol\"} 16384.0",

                "libp2p_rcmgr_peer_connections_bucket{dir=\"inbound\",le=\"1.0\"} 1",
                "libp2p_rcmgr_peer_connections_bucket{dir=\"inbound\",le=\"+Inf\"} 1",
                "libp2p_rcmgr_peer_connections_count{dir=\"inbound\"} 1",
                "libp2p_rcmgr_peer_connections_sum{dir=\"inbound\"} 1.0",
                "libp2p_rcmgr_peer_connections_count{dir=\"outbound\"} 1",
                "libp2p_rcmgr_previous_peer_connections_count{dir=\"inbound\"} 0",
                "libp2p_rcmgr_peer_streams_count{dir=\"inbound\"} 1",
                "libp2p_rcmgr_peer_streams_count{dir=\"outbound\"} 1",
                "libp2p_rcmgr_previous_peer_streams_count{dir=\"outbound\"} 0",

                // Peer P1: 16 KiB, then 48 KiB, then 16 KiB again; "previous" saw 16 KiB and 48 KiB.
                "libp2p_rcmgr_peer_memory_bucket{le=\"4096.0\"} 0",
                "libp2p_rcmgr_peer_memory_bucket{le=\"32768.0\"} 2",
                "libp2p_rcmgr_peer_memory_bucket{le=\"1048576.0\"} 3",
                "libp2p_rcmgr_peer_memory_bucket{le=\"+Inf\"} 3",
                "libp2p_rcmgr_peer_memory_count 3",
                "libp2p_rcmgr_peer_memory_sum 81920.0",
                "libp2p_rcmgr_previous_peer_memory_count 2",
                "libp2p_rcmgr_previous_peer_memory_sum 65536.0",
                "libp2p_rcmgr_conn_memory_bucket{le=\"32768.0\"} 1",
                "libp2p_rcmgr_conn_memory_count 1",
                "libp2p_rcmgr_conn_memory_sum 32768.0",
                "libp2p_rcmgr_previous_conn_memory_count 1",
                "libp2p_rcmgr_previous_conn_memory_sum 32768.0",

                "libp2p_rcmgr_blocked_resources{dir=\"outbound\",resource=\"connection\",scope=\"transient\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"fd\",scope=\"transient\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"inbound\",resource=\"connection\",scope=\"system\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"fd\",scope=\"system\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"inbound\",resource=\"connection\",scope=\"peer\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"fd\",scope=\"peer\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"inbound\",resource=\"stream\",scope=\"peer\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"outbound\",resource=\"stream\",scope=\"protocol\"} 1.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"memory\",scope=\"conn\"} 40000.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"memory\",scope=\"peer\"} 250000.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"memory\",scope=\"system\"} 1000000.0");
        // Exactly the blocked series above: nothing was counted under another label.
        assertEquals(11, lines(scrape, "libp2p_rcmgr_blocked_resources{").size(), scrape);
        // Only two classic histogram metrics per family (no percentiles): bucket lines carry le.
        assertTrue(lines(scrape, "libp2p_rcmgr_peer_memory_bucket").stream().allMatch(l -> l.contains("le=\"")));

        s1.done();
        s3.done();
        c1.done();
        c2.done();
        c3.done();
        String after = registry.scrape();
        assertLines(after,
                "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 0.0",
                "libp2p_rcmgr_connections{dir=\"outbound\",scope=\"system\"} 0.0",
                "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"transient\"} 0.0",
                "libp2p_rcmgr_fds{scope=\"system\"} 0.0",
                "libp2p_rcmgr_streams{dir=\"inbound\",protocol=\"/echo/1.0.0\",scope=\"protocol\"} 0.0",
                "libp2p_rcmgr_memory{protocol=\"\",scope=\"system\"} 0.0",
                "libp2p_rcmgr_memory{protocol=\"/echo/1.0.0\",scope=\"protocol\"} 0.0",
                // Every count that went up came down: "previous" caught up with the current histogram.
                "libp2p_rcmgr_previous_peer_connections_count{dir=\"inbound\"} 1",
                "libp2p_rcmgr_previous_peer_connections_count{dir=\"outbound\"} 1",
                "libp2p_rcmgr_previous_peer_streams_count{dir=\"inbound\"} 1",
                "libp2p_rcmgr_previous_peer_streams_count{dir=\"outbound\"} 1",
                "libp2p_rcmgr_previous_peer_memory_count 3",
                "libp2p_rcmgr_previous_peer_memory_sum 81920.0");
    }

    @Test
    void limitGaugesShowTheConfiguredLimits() {
        String scrape = registry.scrape();
        assertLines(scrape,
                "libp2p_rcmgr_limit{resource=\"memory\",scope=\"system\"} 1048576.0",
                "libp2p_rcmgr_limit{resource=\"fd\",scope=\"system\"} 2.0",
                "libp2p_rcmgr_limit{resource=\"conns\",scope=\"system\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"conns_inbound\",scope=\"system\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"conns_outbound\",scope=\"system\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"streams\",scope=\"system\"} 20.0",
                "libp2p_rcmgr_limit{resource=\"streams_inbound\",scope=\"system\"} 20.0",
                "libp2p_rcmgr_limit{resource=\"streams_outbound\",scope=\"system\"} 20.0",
                "libp2p_rcmgr_limit{resource=\"memory\",scope=\"transient\"} 1048576.0",
                "libp2p_rcmgr_limit{resource=\"fd\",scope=\"transient\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"conns\",scope=\"transient\"} 3.0",
                "libp2p_rcmgr_limit{resource=\"conns_inbound\",scope=\"transient\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"conns_outbound\",scope=\"transient\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"streams\",scope=\"transient\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"streams_inbound\",scope=\"transient\"} 10.0",
                "libp2p_rcmgr_limit{resource=\"streams_outbound\",scope=\"transient\"} 10.0");
        assertEquals(16, lines(scrape, "libp2p_rcmgr_limit{").size());

        // A limit changed at run time shows at the next scrape.
        rcmgr.viewSystem(s -> {
            ((org.jrcmgr.ResourceScopeLimiter) s).setLimit(BaseLimit.UNLIMITED);
            return null;
        });
        assertLines(registry.scrape(),
                "libp2p_rcmgr_limit{resource=\"memory\",scope=\"system\"} 9.223372036854776E18",
                "libp2p_rcmgr_limit{resource=\"fd\",scope=\"system\"} 9.223372036854776E18");
    }

    @Test
    void closingTheManagerRemovesItsSeries() {
        rcmgr.openConnection(Direction.INBOUND, true, ADDR);
        assertTrue(registry.scrape().contains("libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 1.0"));
        rcmgr.close();
        assertFalse(registry.scrape().contains("libp2p_rcmgr_"), registry.scrape());
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry));

        // The next manager's metrics register afresh in the same registry.
        RcmgrMetrics next = new RcmgrMetrics();
        next.bindTo(registry);
        try (ResourceManager second = manager(next)) {
            second.openConnection(Direction.OUTBOUND, false, ADDR);
            assertLines(registry.scrape(),
                    "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 0.0",
                    "libp2p_rcmgr_connections{dir=\"outbound\",scope=\"system\"} 1.0");
        }
    }

    @Test
    void closedMetricsStopRecording() {
        ConnManagementScope c = rcmgr.openConnection(Direction.INBOUND, true, ADDR);
        c.setPeer(P1);
        metrics.close();
        assertFalse(registry.scrape().contains("libp2p_rcmgr_"));
        // The manager keeps calling its observer; nothing breaks and nothing is registered again.
        c.reserveMemory(1024, ReservationPriority.ALWAYS);
        ConnManagementScope second = rcmgr.openConnection(Direction.INBOUND, true, ADDR);
        refused(() -> rcmgr.openConnection(Direction.INBOUND, true, ADDR)); // the system's 2 descriptors are taken
        second.done();
        c.done();
        assertFalse(registry.scrape().contains("libp2p_rcmgr_"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static void refused(Runnable action) {
        assertThrows(ResourceLimitExceededException.class, action::run);
    }

    static List<String> lines(String scrape, String prefix) {
        return Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    /** Each expected line is a whole line of the scrape. */
    static void assertLines(String scrape, String... expected) {
        List<String> all = Arrays.asList(scrape.split("\n"));
        String missing = Arrays.stream(expected).filter(l -> !all.contains(l)).collect(Collectors.joining("\n"));
        assertTrue(missing.isEmpty(), () -> "missing from the scrape:\n" + missing + "\n\nscrape:\n"
                + all.stream().filter(l -> !l.startsWith("#") && !l.contains("_bucket"))
                        .collect(Collectors.joining("\n")));
    }
}
