package org.jrcmgr.micrometer;

import static org.jrcmgr.micrometer.ScrapeScenarioTest.assertLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ScopeKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** go's {@code blocked_resources} scope label, and events driven directly. */
class BlockedLabelsTest {

    @ParameterizedTest
    @CsvSource({
        "system, system",
        "transient, transient",
        "allowlistedSystem, allowlistedSystem",
        "peer:12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu, peer",
        "conn-17, conn",
        "stream-5, stream",
        "conn-17.span-2, conn",
        "peer:12D3KooW.span-1, peer",
        "system.span-1, system.span",
        "service:identify, service",
        "service:identify.peer:12D3KooW, service",
        "protocol:/a-b/1.0.0, protocol",
        "protocol:/a-b/1.0.0.peer:12D3KooW, protocol",
    })
    void labelIsTheNameUpToColonThenDash(String name, String label) {
        assertEquals(label, BlockedResources.scopeLabel(name));
    }

    @Test
    void spansAreLabelledByName() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        FakeScope connSpan = new FakeScope("conn-3.span-1", ScopeKind.SPAN);
        FakeScope systemSpan = new FakeScope("system.span-4", ScopeKind.SPAN);
        FakeScope oddSpan = new FakeScope("custom.span-1", ScopeKind.SPAN);
        LimitValue limit = LimitValue.of(10);
        metrics.refused(connSpan, connSpan, Resource.MEMORY, 0, 100, limit, ReservationPriority.ALWAYS, false);
        metrics.refused(systemSpan, systemSpan, Resource.MEMORY, 0, 200, limit, ReservationPriority.ALWAYS, false);
        metrics.refused(oddSpan, oddSpan, Resource.MEMORY, 0, 300, limit, ReservationPriority.ALWAYS, false);
        metrics.refused(oddSpan, oddSpan, Resource.MEMORY, 0, 300, limit, ReservationPriority.ALWAYS, false);
        assertLines(registry.scrape(),
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"memory\",scope=\"conn\"} 100.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"memory\",scope=\"system.span\"} 200.0",
                "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"memory\",scope=\"custom.span\"} 600.0");
        registry.close();
    }

    @Test
    void aRefusalWithoutItsOutcomeIsNotCountedLater() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        FakeScope system = new FakeScope("system", ScopeKind.SYSTEM);
        FakeScope stream = new FakeScope("stream-1", ScopeKind.STREAM);
        PeerId peer = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");
        // A stream refusal followed by a connection outcome (which no real operation does): neither counts.
        metrics.refused(stream, system, Resource.STREAMS, 5, 1, LimitValue.of(5), ReservationPriority.ALWAYS, false);
        metrics.connBlocked(Direction.INBOUND, false);
        // A stream outcome with nothing parked (a scope closed under it): nothing to count.
        metrics.streamBlocked(peer, Direction.INBOUND);
        assertFalse(registry.scrape().contains("libp2p_rcmgr_blocked_resources{"));
        registry.close();
    }

    @Test
    void spanMemoryIsNotObservedAsPeerOrConnMemory() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        metrics.memoryReserved(new FakeScope("peer:x.span-1", ScopeKind.SPAN), 4096, ReservationPriority.ALWAYS,
                4096);
        metrics.memoryReserved(new FakeScope("peer:x", ScopeKind.PEER), 4096, ReservationPriority.ALWAYS, 4096);
        assertLines(registry.scrape(), "libp2p_rcmgr_peer_memory_count 1", "libp2p_rcmgr_conn_memory_count 0");
        registry.close();
    }
}
