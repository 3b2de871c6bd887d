package org.jrcmgr.offheap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * chronicle is silent at start-up with the flags the build gives every test JVM (the parent POM's
 * {@code chronicle.jvm.flags}, with the JDK 24+ profile's addition): no warning, no error, on the
 * module path, and on the class path with the same flags aimed at {@code ALL-UNNAMED} only. Each
 * case starts a fresh JVM of the running JDK, since chronicle speaks only once per JVM.
 */
class ChronicleStartupTest {

    private static List<String> flags() {
        String flags = System.getProperty("jrcmgr.test.chronicle.flags", "").trim();
        assertFalse(flags.isEmpty(), "the build passes chronicle's flags to the tests");
        return Arrays.asList(flags.split("\\s+"));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String testClasses() throws Exception {
        return Path.of(StartupProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM finished");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }

    /** chronicle's INFO line ("Chronicle core loaded from ...") is fine; a warning or an error is not. */
    private static void assertSilent(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        for (String line : lines) {
            assertFalse(line.contains("WARN") || line.contains("ERROR") || line.contains("Exception"),
                    "chronicle complained: " + output);
        }
        assertTrue(lines.get(lines.size() - 1).startsWith("ok "), output);
    }

    @Test
    void silentOnTheModulePath() throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && modulePath.contains("chronicle-core"), "tests run on the module path");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(flags());
        command.addAll(List.of("--module-path", modulePath,
                "--patch-module", "org.jrcmgr.offheap=" + testClasses(),
                "--add-modules", "org.slf4j.simple",
                "-m", "org.jrcmgr.offheap/" + StartupProbe.class.getName()));
        assertSilent(run(command));
    }

    /**
     * On the class path the flags name only {@code ALL-UNNAMED}: the build's flags also name the
     * module {@code chronicle.core}, which does not exist there, and the JVM warns about it.
     */
    @Test
    void silentOnTheClassPathWithTheClassPathFlags() throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        List<String> command = new ArrayList<>(List.of(java()));
        for (String flag : flags()) {
            command.add(flag.replace(",chronicle.core", ""));
        }
        command.addAll(List.of("-cp", testClasses() + java.io.File.pathSeparator + modulePath,
                StartupProbe.class.getName()));
        assertSilent(run(command));
    }
}
