package org.jrcmgr;

import java.util.List;
import org.jrcmgr.spi.ProviderDescription;
import org.jrcmgr.spi.ProviderInfo;
import org.jrcmgr.spi.ResourceManagerProvider;

/**
 * Finds the {@link ResourceManagerProvider} on the class path or module path and creates
 * {@link ResourceManager}s from it, the way SLF4J 2 finds its provider.
 *
 * <pre>{@code
 * try (ResourceManager rcmgr = ResourceManagers.create()) {
 *     ConnManagementScope conn = rcmgr.openConnection(Direction.INBOUND, true, remote);
 *     ...
 * }
 * }</pre>
 *
 * <p>The provider is chosen by these rules, once per JVM (per class loader of this class):
 * <ol>
 *   <li>If the system property {@value #PROVIDER_PROPERTY} is set (and not blank), it names the
 *       provider, either by its {@link ProviderInfo#name()} or by its fully qualified class name.
 *       If no provider present matches, selection fails and the message lists those present.</li>
 *   <li>Otherwise every provider found by {@link java.util.ServiceLoader} through this class's
 *       class loader is ranked by the {@link ProviderInfo} on its class, read without
 *       instantiating it; an unannotated provider is named by its class name and has priority 0.
 *       The highest priority wins, and when more than one provider is present the winner and
 *       the losers are logged at {@code INFO} on the {@link System.Logger} named after this class.</li>
 *   <li>If no provider is present, selection fails: there is no silent fallback to an unlimited
 *       manager. Add {@code org.jrcmgr:jrcmgr-impl}, or use {@link NullResourceManager#INSTANCE}
 *       explicitly to opt out of resource limits.</li>
 *   <li>Two providers with the same name, or two sharing the highest priority when the property
 *       is not set, also make selection fail: the outcome would depend on the order of jars.</li>
 * </ol>
 * Only the chosen provider is instantiated. Every failure is an {@link IllegalStateException}
 * whose message says what to change; a failed selection is not remembered, so a later call tries
 * again.
 *
 * <p>Applications that configure their manager in code do not need this class: they call the
 * implementation's own builder.
 */
public final class ResourceManagers {

    /** The system property that names the provider to use, by provider name or class name. */
    public static final String PROVIDER_PROPERTY = "org.jrcmgr.provider";

    private static final System.Logger LOG = System.getLogger(ResourceManagers.class.getName());

    private static final Object LOCK = new Object();

    // Written once under LOCK; volatile so that readers outside the lock see a fully built provider.
    private static volatile ResourceManagerProvider selected;

    private ResourceManagers() {
    }

    /**
     * A new manager from the selected provider, with that provider's default configuration. The
     * caller closes it.
     *
     * @return a new manager
     * @throws IllegalStateException if no provider can be selected, or the provider returns null
     */
    public static ResourceManager create() {
        ResourceManagerProvider provider = provider();
        ResourceManager manager = provider.create();
        if (manager == null) {
            throw new IllegalStateException("resource manager provider " + provider.getClass().getName()
                    + " returned null from create()");
        }
        return manager;
    }

    /**
     * The selected provider, chosen by the rules in the class description on the first successful
     * call and the same instance on every later one.
     *
     * @return the selected provider
     * @throws IllegalStateException if no provider can be selected (see the rules)
     */
    public static ResourceManagerProvider provider() {
        ResourceManagerProvider provider = selected;
        if (provider != null) {
            return provider;
        }
        synchronized (LOCK) {
            provider = selected;
            if (provider == null) {
                provider = ProviderSelection.select(ProviderSelection.discover(loader()),
                        System.getProperty(PROVIDER_PROPERTY), LOG);
                selected = provider;
            }
            return provider;
        }
    }

    /**
     * The providers present, best ranked first (highest priority, then by name), found afresh on
     * every call and none of them instantiated. Meant for diagnostics: it reports duplicates and
     * ties instead of failing on them.
     *
     * @return the descriptions of the providers present, possibly none
     * @throws IllegalStateException if a provider is declared but broken (a missing or invalid class)
     */
    public static List<ProviderDescription> providers() {
        return ProviderSelection.describe(ProviderSelection.discover(loader()));
    }

    private static ClassLoader loader() {
        // The loader that defined the API sees the implementations deployed next to it, whatever
        // the calling thread's context loader happens to be.
        return ResourceManagers.class.getClassLoader();
    }
}
