package org.jrcmgr.spi;

import java.util.Objects;

/**
 * A {@link ResourceManagerProvider} as discovery saw it, read from its class and its
 * {@link ProviderInfo} annotation without creating an instance.
 *
 * @param name      the name from {@link ProviderInfo#name()}, or the fully qualified class name when
 *                  the class is not annotated
 * @param priority  the priority from {@link ProviderInfo#priority()}, or 0 when the class is not
 *                  annotated
 * @param className the fully qualified name of the provider class
 */
public record ProviderDescription(String name, int priority, String className) {

    /**
     * @throws NullPointerException if {@code name} or {@code className} is null
     */
    public ProviderDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(className, "className");
    }

    /**
     * The description of {@code type}: its {@link ProviderInfo} if it has one, else its class name
     * and priority 0. The class is only inspected, never instantiated or initialised.
     *
     * @param type the provider class
     * @return its description
     * @throws NullPointerException if {@code type} is null
     */
    public static ProviderDescription of(Class<? extends ResourceManagerProvider> type) {
        ProviderInfo info = type.getAnnotation(ProviderInfo.class);
        if (info == null) {
            return new ProviderDescription(type.getName(), 0, type.getName());
        }
        return new ProviderDescription(info.name(), info.priority(), type.getName());
    }

    /** {@code 'name' (class, priority p)}, or {@code class (priority p)} when the name is the class name. */
    @Override
    public String toString() {
        if (name.equals(className)) {
            return className + " (priority " + priority + ")";
        }
        return "'" + name + "' (" + className + ", priority " + priority + ")";
    }
}
