package org.jrcmgr.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.provider.DefaultResourceManagerProvider;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors say what the architecture promises: the API needs nothing but
 * {@code java.base} and uses the SPI; the implementation exports its configuration only and
 * provides the SPI.
 */
class ModuleDescriptorTest {

    @Test
    void apiExportsItsTwoPackagesRequiresOnlyJavaBaseAndUsesTheSpi() {
        ModuleDescriptor api = descriptor(ResourceManager.class);
        assertEquals("org.jrcmgr", api.name());
        assertEquals(Set.of("org.jrcmgr", "org.jrcmgr.spi"), exports(api));
        assertEquals(Set.of("java.base"), api.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()));
        assertEquals(Set.of("org.jrcmgr.spi.ResourceManagerProvider"), api.uses());
    }

    @Test
    void implExportsConfigurationOnlyAndProvidesTheSpi() {
        ModuleDescriptor impl = descriptor(ResourceManagerBuilder.class);
        assertEquals("org.jrcmgr.impl", impl.name());
        assertEquals(Set.of("org.jrcmgr.impl", "org.jrcmgr.impl.limit", "org.jrcmgr.impl.net", "org.jrcmgr.impl.observe"), exports(impl));
        assertEquals(List.of("org.jrcmgr.spi.ResourceManagerProvider with "
                + DefaultResourceManagerProvider.class.getName()), impl.provides().stream()
                .map(p -> p.service() + " with " + String.join(", ", p.providers())).toList());
        assertEquals(Set.of("java.base", "org.jrcmgr", "org.slf4j", "com.fasterxml.jackson.databind", "jdk.jfr"), impl.requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }

    private static ModuleDescriptor descriptor(Class<?> type) {
        ModuleDescriptor descriptor = type.getModule().getDescriptor();
        assertNotNull(descriptor, () -> type + " is not on the module path: the tests must run as modules");
        return descriptor;
    }

    private static Set<String> exports(ModuleDescriptor descriptor) {
        return descriptor.exports().stream()
                .peek(e -> assertEquals(Set.of(), e.targets(), "qualified export " + e))
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }
}
