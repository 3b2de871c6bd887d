package org.jrcmgr.micrometer;

import static org.jrcmgr.micrometer.ScrapeScenarioTest.ADDR;
import static org.jrcmgr.micrometer.ScrapeScenarioTest.P1;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.observe.ScopeObserver;
import org.junit.jupiter.api.Test;

/**
 * What the metrics add to the manager's own allocations on a real workload: the same operations
 * with the metrics installed and with an observer that does nothing (so the manager takes the
 * same observing path either way).
 */
class ManagerAllocationTest {

    static final int ROUNDS = 2_000;
    /**
     * A stream's reservation is reported by the stream, its peer, its protocol-peer share, its
     * protocol and the system, plus the outcome; a connection's by the connection, its peer and the
     * system, plus the outcome: 6 + 4 events, and 5 + 3 for the releases.
     */
    static final int EVENTS_PER_ROUND = 18;

    @Test
    void metricsAddNoAllocationToManagerOperations() throws Throwable {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        long withMetrics = measure(metrics);
        long withoutMetrics = measure(new ScopeObserver() {
        });
        registry.close();
        System.out.printf("manager: %d bytes with metrics, %d bytes with a do-nothing observer, for %d rounds"
                + " of %d observer events%n", withMetrics, withoutMetrics, ROUNDS, EVENTS_PER_ROUND);
        // Allow JIT noise of a few objects; a per-event allocation would be tens of kilobytes here.
        assertTrue(withMetrics - withoutMetrics <= 1024,
                "the metrics added " + (withMetrics - withoutMetrics) + " bytes over " + ROUNDS + " rounds");
    }

    static long measure(ScopeObserver observer) throws Throwable {
        try (ResourceManager rcmgr = ResourceManagerBuilder.create()
                .limits(ConcreteLimitConfig.infinite())
                .collectInterval(null)
                .flightRecorder(false)
                .refusalSummary(null)
                .observer(observer)
                .build()) {
            ConnManagementScope conn = rcmgr.openConnection(Direction.INBOUND, true, ADDR);
            conn.setPeer(P1);
            StreamManagementScope stream = rcmgr.openStream(P1, Direction.INBOUND);
            stream.setProtocol(ScrapeScenarioTest.ECHO);
            AllocationTest.AllocatedBytes allocated = new AllocationTest.AllocatedBytes();
            Runnable round = () -> {
                stream.reserveMemory(4096, ReservationPriority.ALWAYS);
                conn.reserveMemory(70_000, ReservationPriority.ALWAYS);
                stream.releaseMemory(4096);
                conn.releaseMemory(70_000);
            };
            for (int i = 0; i < 50_000; i++) {
                round.run();
            }
            long before = allocated.now();
            for (int i = 0; i < ROUNDS; i++) {
                round.run();
            }
            long after = allocated.now();
            stream.done();
            conn.done();
            return after - before;
        }
    }
}
