package org.jrcmgr.impl.provider;

import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.spi.ProviderInfo;
import org.jrcmgr.spi.ResourceManagerProvider;

/**
 * The provider that {@link org.jrcmgr.ResourceManagers} finds when {@code jrcmgr-impl} is present:
 * go-libp2p's default limits, scaled to this machine.
 */
@ProviderInfo(name = DefaultResourceManagerProvider.NAME, priority = 0)
public final class DefaultResourceManagerProvider implements ResourceManagerProvider {

    /** The name to select this provider with the {@code org.jrcmgr.provider} property. */
    public static final String NAME = "jrcmgr-default";

    /** Called by {@link java.util.ServiceLoader}. */
    public DefaultResourceManagerProvider() {
    }

    @Override
    public ResourceManager create() {
        return ResourceManagerBuilder.create().build();
    }
}
