/**
 * Publishes go-libp2p's {@code libp2p_rcmgr_*} resource-manager metrics through Micrometer, so a
 * Prometheus scrape of a JVM node feeds go-libp2p's Grafana dashboards unchanged.
 *
 * <p>Micrometer ships no module descriptor, only an {@code Automatic-Module-Name}
 * ({@code micrometer.core}), so this module requires an automatic module. That is the only way to
 * use Micrometer on the module path; the warnings javac gives for it are suppressed here rather
 * than switched off for the whole build. {@code transitive}: the public API is a
 * {@code MeterBinder} and a {@code ScopeObserver}, so users need both modules anyway.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.jrcmgr.micrometer {
    requires transitive org.jrcmgr.impl;
    requires transitive micrometer.core;

    exports org.jrcmgr.micrometer;
}
