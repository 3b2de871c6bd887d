package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrcmgr.LimitValue;
import org.jrcmgr.impl.limit.SystemBudget.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SystemBudget#detect} against fake {@code /proc} trees. */
class SystemBudgetTest {

    private static final long GIB = 1L << 30;

    private static final String MEMINFO = """
            MemTotal:       16318412 kB
            MemFree:         1234567 kB
            MemAvailable:    8765432 kB
            """;

    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max file size             unlimited            unlimited            bytes
            Max open files            1024                 524288               files
            Max locked memory         8388608              8388608              bytes
            """;

    @TempDir
    Path root;

    private void write(String file, String content) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    @Test
    void anEighthOfMemTotalAndHalfTheSoftOpenFilesLimit() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/limits", LIMITS);

        SystemBudget budget = SystemBudget.detect(root, 8 * GIB);

        assertEquals(16318412L * 1024 / 8, budget.memoryBytes());
        assertEquals(Source.PROC_MEMINFO, budget.memorySource());
        assertEquals(512, budget.fdLimit());
        assertEquals(Source.PROC_SELF_LIMITS, budget.fdSource());
        assertFalse(budget.memorySource().isFallback() || budget.fdSource().isFallback());
    }

    @Test
    void missingFilesFallBackToTheJvmHeapAndNoFdInformation() {
        SystemBudget budget = SystemBudget.detect(root, 8 * GIB);

        assertEquals(GIB, budget.memoryBytes());
        assertEquals(Source.JVM_MAX_MEMORY, budget.memorySource());
        assertEquals(0, budget.fdLimit());
        assertEquals(Source.UNKNOWN, budget.fdSource());
        assertTrue(budget.memorySource().isFallback() && budget.fdSource().isFallback());
    }

    @Test
    void thePublicDetectFallsBackToThisJvmsHeap() {
        SystemBudget budget = SystemBudget.detect(root);

        long maxMemory = Runtime.getRuntime().maxMemory();
        if (maxMemory == Long.MAX_VALUE) {
            assertEquals(Source.UNKNOWN, budget.memorySource());
        } else {
            assertEquals(maxMemory / 8, budget.memoryBytes());
            assertEquals(Source.JVM_MAX_MEMORY, budget.memorySource());
        }
    }

    @Test
    void anUnboundedHeapCountsAsUnknownMemory() {
        SystemBudget budget = SystemBudget.detect(root, Long.MAX_VALUE);

        assertEquals(0, budget.memoryBytes());
        assertEquals(Source.UNKNOWN, budget.memorySource());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "MemTotal:       lots kB\n",
        "MemTotal:       16318412 MB\n",
        "MemTotal:       16318412\n",
        "MemTotal:       0 kB\n",
        "MemTotal:       -5 kB\n",
        "MemTotal:       9223372036854775807 kB\n",
        "MemTotal:       99999999999999999999 kB\n",
        "MemTotal:\n",
        "MemFree:         1234567 kB\n",
        "",
        "\u00ff\u00fe garbage\t\n",
    })
    void unparsableMeminfoFallsBack(String meminfo) throws IOException {
        write("proc/meminfo", meminfo);

        SystemBudget budget = SystemBudget.detect(root, 8 * GIB);

        assertEquals(Source.JVM_MAX_MEMORY, budget.memorySource());
        assertEquals(GIB, budget.memoryBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Max open files            many                 524288               files\n",
        "Max open files            -1                   524288               files\n",
        "Max open files\n",
        "Max processes             1024                 1024                 processes\n",
        "",
    })
    void unparsableLimitsKeepTheFdBudgetUnknown(String limits) throws IOException {
        write("proc/self/limits", limits);

        SystemBudget budget = SystemBudget.detect(root, 8 * GIB);

        assertEquals(0, budget.fdLimit());
        assertEquals(Source.UNKNOWN, budget.fdSource());
    }

    @Test
    void anUnlimitedOpenFilesLimitIsAnUnlimitedBudget() throws IOException {
        write("proc/self/limits", "Max open files            unlimited            unlimited            files\n");

        SystemBudget budget = SystemBudget.detect(root, 8 * GIB);

        assertEquals(Long.MAX_VALUE, budget.fdLimit());
        assertEquals(Source.PROC_SELF_LIMITS, budget.fdSource());
        assertEquals(LimitValue.unlimited(),
                DefaultLimits.defaults().scale(budget).system().fd());
    }

    @Test
    void aDirectoryInPlaceOfAFileFallsBack() throws IOException {
        Files.createDirectories(root.resolve("proc/meminfo"));
        Files.createDirectories(root.resolve("proc/self/limits"));

        SystemBudget budget = SystemBudget.detect(root, 8 * GIB);

        assertEquals(Source.JVM_MAX_MEMORY, budget.memorySource());
        assertEquals(Source.UNKNOWN, budget.fdSource());
    }

    @Test
    void theFdBudgetOfASoftLimitOfOneIsZero() throws IOException {
        write("proc/self/limits", "Max open files            1                    1                    files\n");

        assertEquals(0, SystemBudget.detect(root, 8 * GIB).fdLimit());
    }

    @Test
    void detectOnThisMachineDoesNotThrow() {
        SystemBudget budget = SystemBudget.detect();

        assertTrue(budget.memoryBytes() >= 0 && budget.fdLimit() >= 0);
        if (Files.isReadable(Path.of("/proc/meminfo"))) {
            assertEquals(Source.PROC_MEMINFO, budget.memorySource());
            assertTrue(budget.memoryBytes() > 0);
        }
    }

    @Test
    void aGivenBudget() {
        SystemBudget budget = SystemBudget.of(GIB, 4096);

        assertEquals(new SystemBudget(GIB, Source.GIVEN, 4096, Source.GIVEN), budget);
        assertFalse(Source.GIVEN.isFallback());
    }

    @Test
    void invalidBudgetsAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SystemBudget.of(-1, 0))
                .getMessage().startsWith("memoryBytes "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SystemBudget.of(0, -1))
                .getMessage().startsWith("fdLimit "));
        assertEquals("memorySource", assertThrows(NullPointerException.class,
                () -> new SystemBudget(0, null, 0, Source.GIVEN)).getMessage());
        assertEquals("fdSource", assertThrows(NullPointerException.class,
                () -> new SystemBudget(0, Source.GIVEN, 0, null)).getMessage());
        assertThrows(NullPointerException.class, () -> SystemBudget.detect(null));
    }
}
