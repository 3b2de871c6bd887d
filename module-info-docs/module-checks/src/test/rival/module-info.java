/**
 * A second provider with the example provider's priority, compiled and packaged by ExamplesIT (it
 * is not a Maven module): with both present and no org.jrcmgr.provider property, no provider can
 * be chosen.
 */
module org.jrcmgr.example.rival {
    requires org.jrcmgr;

    provides org.jrcmgr.spi.ResourceManagerProvider
            with org.jrcmgr.example.rival.RivalResourceManagerProvider;
}
