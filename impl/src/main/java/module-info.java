/**
 * The default jrcmgr implementation: the scope DAG of go-libp2p's resource manager with exact,
 * lock-free accounting. Exports only what users configure (the builder and the limits); the scopes
 * themselves stay internal.
 */
module org.jrcmgr.impl {
    requires transitive org.jrcmgr;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires jdk.jfr;

    exports org.jrcmgr.impl;
    exports org.jrcmgr.impl.limit;
    exports org.jrcmgr.impl.net;
    exports org.jrcmgr.impl.observe;

    provides org.jrcmgr.spi.ResourceManagerProvider
            with org.jrcmgr.impl.provider.DefaultResourceManagerProvider;
}
