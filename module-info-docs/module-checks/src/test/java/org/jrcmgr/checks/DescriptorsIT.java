package org.jrcmgr.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module descriptors of the jars, as JUnit's own build checks its own: {@code jar
 * --describe-module} of every published artifact equals its golden file, and the rules of our module
 * graph hold for every module of this project, published or example.
 */
class DescriptorsIT {

    /** The golden files, relative to this module. */
    static final Path GOLDEN = Path.of("src/test/resources/describe-module");

    /** Package name segments that a provider must not export: its internals. */
    private static final Set<String> INTERNAL_SEGMENTS = Set.of("internal", "scope", "provider");

    static Stream<Jar> published() {
        return Jar.PUBLISHED.stream();
    }

    /**
     * {@code jar --describe-module --file X.jar} with the first line, which names the jar's location
     * and the version, reduced to the module's name. Update the golden file when a change to a
     * descriptor is intended: the failure says where the actual description was written.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("published")
    void describeModuleMatchesTheGoldenFile(Jar jar) throws IOException {
        String described = ExamplesIT.tool("jar", List.of("--describe-module", "--file", jar.path().toString()));
        List<String> lines = new ArrayList<>(described.replace("\r\n", "\n").lines().toList());
        String name = descriptor(jar).name();
        assertTrue(lines.get(0).startsWith(name + "@"), () -> "the first line names the module: " + described);
        lines.set(0, name);
        while (lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        String actual = String.join("\n", lines) + "\n";
        Path written = Files.createDirectories(ExamplesIT.buildDir().resolve("describe-module")).resolve(name + ".txt");
        Files.writeString(written, actual);
        Path golden = GOLDEN.resolve(name + ".txt");
        assertTrue(Files.exists(golden), () -> "no golden file " + golden + "; the jar describes itself as (written to "
                + written + "):\n" + actual);
        assertEquals(Files.readString(golden).replace("\r\n", "\n"), actual, () -> "the descriptor of " + jar.fileName()
                + " changed: if that is intended, copy " + written + " to " + golden);
    }

    @Test
    void everyPublishedModuleCarriesTheProjectVersion() {
        String version = System.getProperty("jrcmgr.checks.version");
        assertFalse(version == null || version.isBlank(), "the build passes the project version");
        for (Jar jar : Jar.PUBLISHED) {
            assertEquals(version, descriptor(jar).rawVersion().orElse("none"), jar.fileName());
        }
    }

    @Test
    void everyPackageOfEveryModuleStartsWithTheModuleName() {
        for (Jar jar : Jar.OURS) {
            ModuleDescriptor d = descriptor(jar);
            for (String p : d.packages()) {
                assertTrue(p.equals(d.name()) || p.startsWith(d.name() + "."),
                        () -> "package " + p + " of module " + d.name() + " (" + jar.fileName() + ")");
            }
        }
    }

    @Test
    void noPackageIsSplitAcrossOurModules() {
        Map<String, String> owner = new HashMap<>();
        for (Jar jar : Jar.OURS) {
            ModuleDescriptor d = descriptor(jar);
            for (String p : d.packages()) {
                String other = owner.putIfAbsent(p, d.name());
                assertTrue(other == null, () -> "package " + p + " is in both " + other + " and " + d.name());
            }
        }
    }

    @Test
    void theApiRequiresNothingButJavaBase() {
        ModuleDescriptor api = descriptor(Jar.API);
        assertEquals(Set.of("java.base"), api.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()));
        assertEquals(Set.of("org.jrcmgr.spi.ResourceManagerProvider"), api.uses());
    }

    /** A provider exports what users configure, never its internals nor the package of its provider class. */
    @Test
    void providersExportNoInternals() {
        int providers = 0;
        for (Jar jar : Jar.OURS) {
            ModuleDescriptor d = descriptor(jar);
            Set<String> exported = exports(d);
            for (String p : exported) {
                for (String segment : p.split("\\.")) {
                    assertFalse(INTERNAL_SEGMENTS.contains(segment) && !d.provides().isEmpty(),
                            () -> d.name() + " provides a service and exports " + p);
                    assertFalse(segment.equals("internal"), () -> d.name() + " exports " + p);
                }
            }
            for (ModuleDescriptor.Provides provides : d.provides()) {
                providers++;
                for (String type : provides.providers()) {
                    String pkg = type.substring(0, type.lastIndexOf('.'));
                    assertFalse(exported.contains(pkg), () -> d.name() + " exports " + pkg + ", the package of its provider "
                            + type + ": users would depend on it instead of finding it through ServiceLoader");
                }
            }
        }
        assertTrue(providers >= 2, "the default and the example provider are checked");
    }

    /**
     * What a module {@code provides} is also listed in its {@code META-INF/services} file, so that the
     * provider is found on the class path too; and nothing else is.
     */
    @Test
    void everyProvidedServiceIsListedForTheClassPath() throws IOException {
        for (Jar jar : Jar.OURS) {
            ModuleDescriptor d = descriptor(jar);
            try (JarFile file = new JarFile(jar.path().toFile())) {
                Map<String, Set<String>> declared = new HashMap<>();
                file.stream().map(ZipEntry::getName)
                        .filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                        .forEach(n -> declared.put(n.substring("META-INF/services/".length()), servicesFile(file, n)));
                Map<String, Set<String>> provided = new HashMap<>();
                d.provides().forEach(p -> provided.put(p.service(), new TreeSet<>(p.providers())));
                assertEquals(provided, declared, () -> jar.fileName() + ": module-info's provides and META-INF/services");
            }
        }
    }

    /** The application example finds the implementation by service binding: it requires the API only. */
    @Test
    void theApplicationRequiresTheApiOnly() {
        ModuleDescriptor app = descriptor(Jar.EXAMPLE_APP);
        assertEquals(Set.of("java.base", "org.jrcmgr"), app.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()));
        ModuleDescriptor provider = descriptor(Jar.EXAMPLE_PROVIDER);
        assertEquals(Set.of(), provider.exports(), "the example provider exports nothing");
    }

    @Test
    void noModuleOfOursIsOpen() {
        Map<Jar, ModuleDescriptor> all = new EnumMap<>(Jar.class);
        Jar.OURS.forEach(jar -> all.put(jar, descriptor(jar)));
        all.forEach((jar, d) -> {
            assertFalse(d.isOpen(), () -> d.name() + " is open");
            assertEquals(Set.of(), d.opens(), () -> d.name() + " opens packages");
            d.exports().forEach(e -> assertFalse(e.isQualified(), () -> d.name() + " has a qualified export " + e));
        });
    }

    static ModuleDescriptor descriptor(Jar jar) {
        List<ModuleReference> found = new ArrayList<>(ModuleFinder.of(jar.path()).findAll());
        assertEquals(1, found.size(), jar.fileName());
        ModuleDescriptor d = found.get(0).descriptor();
        assertFalse(d.isAutomatic(), () -> jar.fileName() + " has no module-info.class");
        return d;
    }

    private static Set<String> exports(ModuleDescriptor d) {
        return d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    private static Set<String> servicesFile(JarFile file, String entry) {
        try {
            String text = new String(file.getInputStream(file.getEntry(entry)).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            return text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
