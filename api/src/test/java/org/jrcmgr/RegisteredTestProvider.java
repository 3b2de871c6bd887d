package org.jrcmgr;

import java.util.concurrent.atomic.AtomicInteger;
import org.jrcmgr.spi.ProviderInfo;
import org.jrcmgr.spi.ResourceManagerProvider;

/**
 * The provider registered in the test resources' {@code META-INF/services}, so that discovery is
 * tested through the real {@link java.util.ServiceLoader}. It uses only exported API because
 * ResourceManagersTest also loads a copy of it in a class loader of its own.
 */
@ProviderInfo(name = RegisteredTestProvider.NAME, priority = 7)
public final class RegisteredTestProvider implements ResourceManagerProvider {

    /** The provider's name. */
    public static final String NAME = "api-test-provider";

    /** How many instances were made, per class loader that defined this class. */
    public static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Needed by ServiceLoader. */
    public RegisteredTestProvider() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public ResourceManager create() {
        return NullResourceManager.INSTANCE;
    }
}
