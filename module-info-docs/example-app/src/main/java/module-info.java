/**
 * An application that uses jrcmgr through its API alone. It never names the implementation: the
 * API module {@code uses org.jrcmgr.spi.ResourceManagerProvider}, so {@code org.jrcmgr.impl} (or
 * any other provider) is resolved by service binding once it is on the module path.
 */
module org.jrcmgr.example.app {
    requires org.jrcmgr;
}
