/**
 * A resource manager provider of its own: it exports nothing, and {@code ResourceManagers} finds it
 * through the {@code provides} clause (on the class path, through
 * {@code META-INF/services/org.jrcmgr.spi.ResourceManagerProvider}).
 */
module org.jrcmgr.example.provider {
    requires org.jrcmgr;

    provides org.jrcmgr.spi.ResourceManagerProvider
            with org.jrcmgr.example.provider.CountingResourceManagerProvider;
}
