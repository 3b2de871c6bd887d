package org.jrcmgr.example.rival;

import org.jrcmgr.NullResourceManager;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.spi.ProviderInfo;
import org.jrcmgr.spi.ResourceManagerProvider;

/** Ties with the example's "counting" provider: the same priority, 10. */
@ProviderInfo(name = "rival", priority = 10)
public final class RivalResourceManagerProvider implements ResourceManagerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public RivalResourceManagerProvider() {
    }

    @Override
    public ResourceManager create() {
        return NullResourceManager.INSTANCE;
    }
}
