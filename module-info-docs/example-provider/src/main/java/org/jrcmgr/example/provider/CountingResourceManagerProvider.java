package org.jrcmgr.example.provider;

import org.jrcmgr.NullResourceManager;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.spi.ProviderInfo;
import org.jrcmgr.spi.ResourceManagerProvider;

// tag::provider-class[]
/**
 * Managers that admit everything and count what they admitted. Priority 10 beats the default
 * implementation's 0, so with this module present it is chosen unless
 * {@code -Dorg.jrcmgr.provider=jrcmgr-default} says otherwise.
 */
@ProviderInfo(name = "counting", priority = 10)
public final class CountingResourceManagerProvider implements ResourceManagerProvider {

    /** Called by {@link java.util.ServiceLoader}: a public class with a public no-argument constructor. */
    public CountingResourceManagerProvider() {
    }

    @Override
    public ResourceManager create() {
        return new CountingResourceManager(NullResourceManager.INSTANCE);
    }
}
// end::provider-class[]
