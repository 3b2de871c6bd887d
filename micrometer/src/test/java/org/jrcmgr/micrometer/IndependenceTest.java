package org.jrcmgr.micrometer;

import static org.jrcmgr.micrometer.ScrapeScenarioTest.ADDR;
import static org.jrcmgr.micrometer.ScrapeScenarioTest.assertLines;
import static org.jrcmgr.micrometer.ScrapeScenarioTest.manager;
import static org.jrcmgr.micrometer.ScrapeScenarioTest.refused;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jrcmgr.Direction;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.junit.jupiter.api.Test;

/** Metrics belong to one manager: nothing is process-global. */
class IndependenceTest {

    @Test
    void twoManagersOnTwoRegistriesShareNothing() {
        PrometheusMeterRegistry registryA = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry registryB = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metricsA = new RcmgrMetrics();
        RcmgrMetrics metricsB = new RcmgrMetrics();
        metricsA.bindTo(registryA);
        metricsB.bindTo(registryB);
        try (ResourceManager a = manager(metricsA); ResourceManager b = manager(metricsB)) {
            a.openConnection(Direction.INBOUND, true, ADDR);
            a.openConnection(Direction.INBOUND, true, ADDR);
            refused(() -> a.openConnection(Direction.INBOUND, true, ADDR));
            b.openConnection(Direction.OUTBOUND, false, ADDR);

            assertLines(registryA.scrape(),
                    "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 2.0",
                    "libp2p_rcmgr_connections{dir=\"outbound\",scope=\"system\"} 0.0",
                    "libp2p_rcmgr_blocked_resources{dir=\"inbound\",resource=\"connection\",scope=\"system\"} 1.0");
            String scrapeB = registryB.scrape();
            assertLines(scrapeB,
                    "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 0.0",
                    "libp2p_rcmgr_connections{dir=\"outbound\",scope=\"system\"} 1.0");
            assertFalse(scrapeB.contains("libp2p_rcmgr_blocked_resources{"), scrapeB);
        } finally {
            registryA.close();
            registryB.close();
        }
    }

    @Test
    void twoManagersShareOneRegistryThroughATag() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metricsA = new RcmgrMetrics(Tags.of("instance", "a"));
        RcmgrMetrics metricsB = new RcmgrMetrics(Tags.of("instance", "b"));
        metricsA.bindTo(registry);
        metricsB.bindTo(registry);
        try (ResourceManager a = manager(metricsA); ResourceManager b = manager(metricsB)) {
            a.openConnection(Direction.INBOUND, true, ADDR);
            b.openConnection(Direction.OUTBOUND, false, ADDR);
            b.openConnection(Direction.OUTBOUND, false, ADDR);
            assertLines(registry.scrape(),
                    "libp2p_rcmgr_connections{dir=\"inbound\",instance=\"a\",scope=\"system\"} 1.0",
                    "libp2p_rcmgr_connections{dir=\"outbound\",instance=\"a\",scope=\"system\"} 0.0",
                    "libp2p_rcmgr_connections{dir=\"inbound\",instance=\"b\",scope=\"system\"} 0.0",
                    "libp2p_rcmgr_connections{dir=\"outbound\",instance=\"b\",scope=\"system\"} 2.0",
                    "libp2p_rcmgr_limit{instance=\"a\",resource=\"fd\",scope=\"system\"} 2.0",
                    "libp2p_rcmgr_peer_connections_count{dir=\"inbound\",instance=\"b\"} 0");
            a.close();
            // a's series left with its manager; b's stay.
            String scrape = registry.scrape();
            assertFalse(scrape.contains("instance=\"a\""), scrape);
            assertLines(scrape, "libp2p_rcmgr_connections{dir=\"outbound\",instance=\"b\",scope=\"system\"} 2.0");
        } finally {
            registry.close();
        }
    }

    @Test
    void anExtraTagMayNotReplaceGoLabels() {
        assertThrows(IllegalArgumentException.class, () -> new RcmgrMetrics(Tags.of("scope", "x")));
        assertThrows(IllegalArgumentException.class, () -> new RcmgrMetrics(Tags.of("instance", "a", "dir", "x")));
    }

    @Test
    void shadowRefusalsBlockNothingAndAreNotCounted() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metrics = new RcmgrMetrics();
        metrics.bindTo(registry);
        try (ResourceManager rcmgr = ResourceManagerBuilder.create()
                .limits(ScrapeScenarioTest.smallLimits())
                .shadowMode(true)
                .collectInterval(null)
                .flightRecorder(false)
                .refusalSummary(null)
                .observer(metrics)
                .build()) {
            for (int i = 0; i < 4; i++) {
                rcmgr.openConnection(Direction.INBOUND, true, ADDR); // the 3rd and 4th pass the limits
            }
            String scrape = registry.scrape();
            assertLines(scrape, "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 4.0",
                    "libp2p_rcmgr_fds{scope=\"system\"} 4.0");
            assertFalse(scrape.contains("libp2p_rcmgr_blocked_resources{"), scrape);
        } finally {
            registry.close();
        }
    }

    @Test
    void oneInstanceBindsToSeveralRegistries() {
        PrometheusMeterRegistry first = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry second = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RcmgrMetrics metrics = new RcmgrMetrics();
        metrics.bindTo(first);
        metrics.bindTo(first); // a second bind of the same registry changes nothing
        try (ResourceManager rcmgr = manager(metrics)) {
            rcmgr.openConnection(Direction.INBOUND, true, ADDR);
            rcmgr.openConnection(Direction.INBOUND, true, ADDR);
            refused(() -> rcmgr.openConnection(Direction.INBOUND, true, ADDR));
            metrics.bindTo(second); // late: gauges and counts so far show at once
            for (PrometheusMeterRegistry registry : new PrometheusMeterRegistry[] {first, second}) {
                assertLines(registry.scrape(),
                        "libp2p_rcmgr_connections{dir=\"inbound\",scope=\"system\"} 2.0",
                        "libp2p_rcmgr_blocked_resources{dir=\"\",resource=\"fd\",scope=\"system\"} 1.0");
            }
        } finally {
            first.close();
            second.close();
        }
    }
}
