/**
 * The jrcmgr API: scopes, limits, value types and the provider SPI. It depends on nothing but
 * {@code java.base}; implementations are found through {@link org.jrcmgr.spi.ResourceManagerProvider}.
 */
module org.jrcmgr {
    exports org.jrcmgr;
    exports org.jrcmgr.spi;

    uses org.jrcmgr.spi.ResourceManagerProvider;
}
