package org.jrcmgr.spi;

import org.jrcmgr.ResourceManager;

/**
 * A source of {@link ResourceManager}s, found with {@link java.util.ServiceLoader}.
 *
 * <p>An implementation is a public class with a public no-argument constructor, declared with
 * {@code provides org.jrcmgr.spi.ResourceManagerProvider with ...} in its module descriptor and in
 * {@code META-INF/services/org.jrcmgr.spi.ResourceManagerProvider} for the class path. Annotate it
 * with {@link ProviderInfo} to give it a name and a priority: they are read without instantiating
 * the provider.
 */
public interface ResourceManagerProvider {

    /** A new manager with this provider's default configuration. The caller closes it. */
    ResourceManager create();
}
