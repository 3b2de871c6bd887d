package org.jrcmgr.offheap;

import static org.jrcmgr.ReservationPriority.ALWAYS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jrcmgr.ResourceManager;
import org.junit.jupiter.api.Test;

/**
 * chronicle-bytes runs here without any of its native-code dependencies: none of them is on the
 * class path or the module path, none of their classes can be loaded, and after real allocations
 * through both views the only shared libraries mapped into the process are the JDK's own and the
 * system's C libraries.
 */
class NoNativeLibraryTest {

    /** File-name prefixes of the banned artifacts (posix, affinity, analytics, JNA, JNR, jffi, asm). */
    private static final Pattern BANNED_JAR = Pattern.compile(
            "(posix|affinity|chronicle-analytics|jna|jna-platform|jnr-[a-z0-9]+|jffi|asm(-[a-z]+)?)-\\d.*\\.jar");

    /** An entry point of each banned artifact. */
    private static final List<String> BANNED_CLASSES = List.of(
            "net.openhft.posix.PosixAPI",
            "net.openhft.affinity.Affinity",
            "net.openhft.chronicle.analytics.Analytics",
            "com.sun.jna.Native",
            "jnr.ffi.LibraryLoader",
            "com.kenai.jffi.Foreign",
            "org.objectweb.asm.ClassReader");

    /** Where the system's own shared libraries live (libc, libm, libz, ...). */
    private static final List<String> SYSTEM_LIBRARY_DIRS = List.of("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/");

    @Test
    void noBannedArtifactIsOnAnyPath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("java.class.path", "jdk.module.path", "surefire.test.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(List.of(value.split(Pattern.quote(File.pathSeparator))));
            }
        }
        assertFalse(entries.isEmpty());
        assertTrue(entries.stream().anyMatch(e -> e.contains("chronicle-bytes")), "chronicle-bytes is there: " + entries);
        for (String entry : entries) {
            String name = Path.of(entry).getFileName().toString();
            assertFalse(BANNED_JAR.matcher(name).matches(), "banned artifact on the path: " + entry);
        }
    }

    @Test
    void noBannedClassCanBeLoaded() {
        for (String name : BANNED_CLASSES) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, getClass().getClassLoader()),
                    name + " is loadable");
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName(name, false, ClassLoader.getSystemClassLoader()), name + " is loadable");
        }
        for (String module : List.of("net.openhft.posix", "posix", "affinity", "com.sun.jna", "org.objectweb.asm")) {
            assertFalse(ModuleLayer.boot().findModule(module).isPresent(), module + " is in the boot layer");
        }
    }

    @Test
    void onlyJdkAndSystemLibrariesAreMapped() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs Linux's /proc");
        // Use chronicle in every way this module does first, so that anything it would load is loaded.
        try (ResourceManager manager = Fixtures.manager(1 << 20, 1 << 20)) {
            OffHeap offHeap = OffHeap.create();
            manager.viewSystem(system -> {
                try (NativeBuffer buffer = offHeap.allocate(system, 64 * 1024, ALWAYS)) {
                    Fixtures.writeAndReadThroughBothViews(buffer, 11);
                    try (NativeBuffer.Pin pin = buffer.pin()) {
                        pin.bytes().writeLong(0, 1);
                    }
                }
                return null;
            });
            assertEquals(0, offHeap.stats().nativeBytes());
        }
        OffHeap.chronicleNativeMemoryUsed();

        Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
        String tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath().toString();
        TreeSet<String> libraries = new TreeSet<>();
        for (String line : Files.readAllLines(maps)) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue; // anonymous mappings, [heap], [stack], [vdso]
            }
            String file = line.substring(slash).replace(" (deleted)", "");
            if (file.endsWith(".so") || file.contains(".so.")) {
                libraries.add(file);
            }
        }
        assertFalse(libraries.isEmpty(), "no shared library at all? " + libraries);
        for (String library : libraries) {
            String lower = library.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("jffi") || lower.contains("jna") || lower.contains("jnr"),
                    "a JNI library of a banned artifact is loaded: " + library);
            assertFalse(library.startsWith(tmp + "/") || library.startsWith("/tmp/"),
                    "a library was unpacked to a temporary directory and loaded: " + library);
            Path real = Path.of(library).toRealPath();
            boolean jdk = real.startsWith(javaHome);
            boolean system = SYSTEM_LIBRARY_DIRS.stream().anyMatch(library::startsWith) && !library.startsWith("/usr/lib/jvm/");
            assertTrue(jdk || system, "neither the JDK's (" + javaHome + ") nor a system library: " + library);
        }
    }
}
