package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.jrcmgr.LimitValue;
import org.jrcmgr.impl.limit.SystemBudget.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SystemBudget#detect} against fake {@code /proc} and {@code /sys/fs/cgroup} trees. */
class SystemBudgetTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** 15.6 GiB. */
    private static final long MEMINFO_BYTES = 16318412L * 1024;

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

    /** A cgroup v2 host: the unified hierarchy at /sys/fs/cgroup. */
    private static final String MOUNTINFO_V2 = """
            22 27 0:21 / /proc rw,relatime - proc proc rw
            30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate
            """;

    /** A cgroup v1 host (memory controller at /sys/fs/cgroup/memory), as this project's CI machine. */
    private static final String MOUNTINFO_V1 = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @TempDir
    Path root;

    private void write(String file, String content) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content, StandardCharsets.ISO_8859_1);
    }

    /** MemTotal 15.6 GiB and a soft open-files limit of 1024. */
    private void machine() throws IOException {
        write("proc/meminfo", MEMINFO);
        write("proc/self/limits", LIMITS);
    }

    private void v2(String cgroupPath) throws IOException {
        write("proc/self/cgroup", "0::" + cgroupPath + "\n");
        write("proc/self/mountinfo", MOUNTINFO_V2);
    }

    private void v1(String cgroupPath) throws IOException {
        write("proc/self/cgroup", "12:pids:" + cgroupPath + "\n4:memory:" + cgroupPath + "\n3:cpu,cpuacct:"
                + cgroupPath + "\n1:name=systemd:/\n0::/\n");
        write("proc/self/mountinfo", MOUNTINFO_V1);
    }

    private void cmdline(String... args) throws IOException {
        write("proc/self/cmdline", String.join("\0", args) + "\0");
    }

    private void environ(String... entries) throws IOException {
        write("proc/self/environ", String.join("\0", entries) + "\0");
    }

    private SystemBudget detect() {
        return SystemBudget.detect(root, 8 * GIB);
    }

    private static void assertMemory(long total, Source source, String origin, SystemBudget budget) {
        assertEquals(total, budget.memoryTotal(), budget::describe);
        assertEquals(total / 8, budget.memoryBytes(), budget::describe);
        assertEquals(source, budget.memorySource(), budget::describe);
        assertEquals(origin, budget.memoryOrigin(), budget::describe);
    }

    // ---- physical memory and open files, no cgroup

    @Test
    void anEighthOfMemTotalAndHalfTheSoftOpenFilesLimit() throws IOException {
        machine();

        SystemBudget budget = detect();

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", budget);
        assertEquals(512, budget.fdLimit());
        assertEquals(1024, budget.fdTotal());
        assertEquals(Source.PROC_SELF_LIMITS, budget.fdSource());
        assertFalse(budget.memorySource().isFallback() || budget.fdSource().isFallback());
        assertEquals("memory budget 1.9 GiB = 1/8 of physical memory (MemTotal) 15.6 GiB at /proc/meminfo; "
                + "fd budget 512 = 1/2 of soft RLIMIT_NOFILE 1024 at /proc/self/limits", budget.describe());
        assertEquals(budget.describe(), budget.toString());
    }

    @Test
    void missingFilesFallBackToTheJvmHeapAndNoFdInformation() {
        SystemBudget budget = detect();

        assertMemory(8 * GIB, Source.JVM_MAX_MEMORY, "Runtime.maxMemory()", budget);
        assertEquals(0, budget.fdLimit());
        assertEquals(0, budget.fdTotal());
        assertEquals(Source.UNKNOWN, budget.fdSource());
        assertTrue(budget.memorySource().isFallback() && budget.fdSource().isFallback());
        assertEquals("memory budget 1 GiB = 1/8 of the JVM's maximum heap 8 GiB (Runtime.maxMemory(); the "
                + "machine's memory could not be read); fd budget unknown: the open-files limit could not be "
                + "read, so FD limits stay at their base", budget.describe());
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

        assertMemory(0, Source.UNKNOWN, "", budget);
        assertTrue(budget.describe().startsWith(
                "memory budget 0 B: the memory size is unknown, so memory limits stay at their base; "),
                budget.describe());
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

        assertMemory(8 * GIB, Source.JVM_MAX_MEMORY, "Runtime.maxMemory()", detect());
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

        SystemBudget budget = detect();

        assertEquals(0, budget.fdLimit());
        assertEquals(Source.UNKNOWN, budget.fdSource());
    }

    @Test
    void anUnlimitedOpenFilesLimitIsAnUnlimitedBudget() throws IOException {
        write("proc/self/limits", "Max open files            unlimited            unlimited            files\n");

        SystemBudget budget = detect();

        assertEquals(Long.MAX_VALUE, budget.fdLimit());
        assertEquals(Long.MAX_VALUE, budget.fdTotal());
        assertEquals(Source.PROC_SELF_LIMITS, budget.fdSource());
        assertTrue(budget.describe().endsWith(
                "; fd budget unlimited: soft RLIMIT_NOFILE at /proc/self/limits is unlimited"), budget.describe());
        assertEquals(LimitValue.unlimited(),
                DefaultLimits.defaults().scale(budget).system().fd());
    }

    @Test
    void aDirectoryInPlaceOfAFileFallsBack() throws IOException {
        Files.createDirectories(root.resolve("proc/meminfo"));
        Files.createDirectories(root.resolve("proc/self/limits"));
        Files.createDirectories(root.resolve("proc/self/cgroup"));
        Files.createDirectories(root.resolve("proc/self/cmdline"));
        Files.createDirectories(root.resolve("proc/self/environ"));

        SystemBudget budget = detect();

        assertEquals(Source.JVM_MAX_MEMORY, budget.memorySource());
        assertEquals(Source.UNKNOWN, budget.fdSource());
    }

    @Test
    void theFdBudgetOfASoftLimitOfOneIsZero() throws IOException {
        write("proc/self/limits", "Max open files            1                    1                    files\n");

        assertEquals(0, detect().fdLimit());
    }

    // ---- cgroup v2

    @Test
    void cgroupV2LimitBelowThePhysicalMemory() throws IOException {
        machine();
        v2("/user.slice/app.scope");
        write("sys/fs/cgroup/user.slice/app.scope/memory.max", "2147483648\n");
        write("sys/fs/cgroup/user.slice/memory.max", "max\n");

        SystemBudget budget = detect();

        assertMemory(2 * GIB, Source.CGROUP_V2, "/sys/fs/cgroup/user.slice/app.scope/memory.max", budget);
        assertFalse(budget.memorySource().isFallback());
        assertEquals("memory budget 256 MiB = 1/8 of cgroup v2 memory.max 2 GiB at "
                + "/sys/fs/cgroup/user.slice/app.scope/memory.max; fd budget 512 = 1/2 of soft RLIMIT_NOFILE 1024 "
                + "at /proc/self/limits", budget.describe());
    }

    @Test
    void cgroupV2MaxEverywhereMeansThePhysicalMemory() throws IOException {
        machine();
        v2("/user.slice/app.scope");
        write("sys/fs/cgroup/user.slice/app.scope/memory.max", "max\n");
        write("sys/fs/cgroup/user.slice/memory.max", "max\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void aSmallerParentLimitBoundsTheChild() throws IOException {
        machine();
        v2("/kubepods/burstable/pod1/ctr");
        write("sys/fs/cgroup/kubepods/burstable/pod1/ctr/memory.max", "4294967296\n");
        write("sys/fs/cgroup/kubepods/burstable/pod1/memory.max", "1073741824\n");
        write("sys/fs/cgroup/kubepods/burstable/memory.max", "max\n");
        write("sys/fs/cgroup/kubepods/memory.max", "3221225472\n");

        assertMemory(GIB, Source.CGROUP_V2, "/sys/fs/cgroup/kubepods/burstable/pod1/memory.max", detect());
    }

    @Test
    void aContainerSeesItsOwnCgroupAtTheMountPoint() throws IOException {
        // With its own cgroup namespace, the container's cgroup is "/" and is what is mounted.
        machine();
        v2("/");
        write("sys/fs/cgroup/memory.max", "536870912\n");

        assertMemory(512 * MIB, Source.CGROUP_V2, "/sys/fs/cgroup/memory.max", detect());
    }

    @Test
    void aMountOfASubtreeIsMatchedAgainstItsRoot() throws IOException {
        // Without a cgroup namespace the process's path is the host's, but the mount shows only it.
        machine();
        write("proc/self/cgroup", "0::/docker/abc123\n");
        write("proc/self/mountinfo",
                "30 23 0:26 /docker/abc123 /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n");
        write("sys/fs/cgroup/memory.max", "805306368\n");
        // A parent outside the mount is not visible to a container; one here must not be read.
        write("sys/fs/memory.max", "1\n");

        assertMemory(768 * MIB, Source.CGROUP_V2, "/sys/fs/cgroup/memory.max", detect());
    }

    @Test
    void aMountInAnotherPlaceAndWithEscapesIsFollowed() throws IOException {
        machine();
        write("proc/self/cgroup", "0::/my app\n");
        write("proc/self/mountinfo", "30 23 0:26 / /mnt/cg\\0402 rw - cgroup2 none rw\n");
        write("mnt/cg 2/my app/memory.max", "1073741824\n");

        assertMemory(GIB, Source.CGROUP_V2, "/mnt/cg 2/my app/memory.max", detect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/other/ctr", "/../../escape"})
    void aCgroupOutsideEveryMountHasNoLimit(String cgroupPath) throws IOException {
        machine();
        write("proc/self/cgroup", "0::" + cgroupPath + "\n");
        write("proc/self/mountinfo", "30 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write("sys/fs/cgroup/memory.max", "1048576\n");
        write("sys/fs/cgroup/other/ctr/memory.max", "1048576\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots\n", "-4096\n", "1.5G\n", "\n", "", "99999999999999999999\n"})
    void aGarbledLimitFileIsIgnored(String content) throws IOException {
        machine();
        v2("/a/b");
        write("sys/fs/cgroup/a/b/memory.max", content);

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void aGarbledChildStillLeavesTheParentsLimit() throws IOException {
        machine();
        v2("/a/b");
        write("sys/fs/cgroup/a/b/memory.max", "garbage\n");
        write("sys/fs/cgroup/a/memory.max", "2147483648\n");

        assertMemory(2 * GIB, Source.CGROUP_V2, "/sys/fs/cgroup/a/memory.max", detect());
    }

    @Test
    void anUnreadableLimitFileIsIgnored() throws IOException {
        machine();
        v2("/a");
        Files.createDirectories(root.resolve("sys/fs/cgroup/a/memory.max"));

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void aLimitOfZeroIsALimit() throws IOException {
        machine();
        v2("/a");
        write("sys/fs/cgroup/a/memory.max", "0\n");

        SystemBudget budget = detect();

        assertMemory(0, Source.CGROUP_V2, "/sys/fs/cgroup/a/memory.max", budget);
        assertEquals(DefaultLimits.defaults().scale(0, 512), DefaultLimits.defaults().scale(budget));
    }

    // ---- cgroup v1 and hybrid hosts

    @Test
    void cgroupV1Limit() throws IOException {
        machine();
        v1("/process_api/job7");
        write("sys/fs/cgroup/memory/process_api/job7/memory.limit_in_bytes", "536870912\n");
        write("sys/fs/cgroup/memory/process_api/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");

        SystemBudget budget = detect();

        assertMemory(512 * MIB, Source.CGROUP_V1, "/sys/fs/cgroup/memory/process_api/job7/memory.limit_in_bytes",
                budget);
        assertTrue(budget.describe().startsWith("memory budget 64 MiB = 1/8 of cgroup v1 memory.limit_in_bytes "
                + "512 MiB at /sys/fs/cgroup/memory/process_api/job7/memory.limit_in_bytes; "), budget.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854771712", "9223372036854710272", "9223372036854775807", "-1"})
    void cgroupV1NoLimitSentinelsMeanThePhysicalMemory(String sentinel) throws IOException {
        // 4 KiB pages give ...771712, 64 KiB pages ...710272; -1 is how the limit is removed.
        machine();
        v1("/process_api/job7");
        write("sys/fs/cgroup/memory/process_api/job7/memory.limit_in_bytes", sentinel + "\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", sentinel + "\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void cgroupV1ParentLimitBoundsTheChild() throws IOException {
        machine();
        v1("/a/b");
        write("sys/fs/cgroup/memory/a/b/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/a/memory.limit_in_bytes", "1073741824\n");

        assertMemory(GIB, Source.CGROUP_V1, "/sys/fs/cgroup/memory/a/memory.limit_in_bytes", detect());
    }

    @Test
    void aHybridHostTakesTheSmallerOfBothHierarchies() throws IOException {
        machine();
        write("proc/self/cgroup", "4:memory:/job\n0::/job\n");
        write("proc/self/mountinfo", MOUNTINFO_V1);
        write("sys/fs/cgroup/memory/job/memory.limit_in_bytes", "2147483648\n");
        write("sys/fs/cgroup/unified/job/memory.max", "1073741824\n");

        assertMemory(GIB, Source.CGROUP_V2, "/sys/fs/cgroup/unified/job/memory.max", detect());

        write("sys/fs/cgroup/unified/job/memory.max", "max\n");

        assertMemory(2 * GIB, Source.CGROUP_V1, "/sys/fs/cgroup/memory/job/memory.limit_in_bytes", detect());
    }

    @Test
    void aHybridHostWithoutLimitFilesInTheUnifiedHierarchy() throws IOException {
        // This project's CI machine: 0::/ in cgroup2 without memory files, memory in v1, no limit.
        machine();
        v1("/process_api/63326fc841f7006da11e317ae5f6b017");
        write("sys/fs/cgroup/unified/cgroup.controllers", "");
        write("sys/fs/cgroup/memory/process_api/63326fc841f7006da11e317ae5f6b017/memory.limit_in_bytes",
                "9223372036854771712\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    // ---- no cgroup, or garbled cgroup files

    @Test
    void noCgroupFilesMeanThePhysicalMemory() throws IOException {
        machine();
        write("sys/fs/cgroup/memory.max", "1048576\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void aCgroupWithoutMountinfoHasNoLimit() throws IOException {
        machine();
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/memory.max", "1048576\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void aCgroupWithoutAMountedHierarchyHasNoLimit() throws IOException {
        machine();
        write("proc/self/cgroup", "0::/\n4:memory:/\n");
        write("proc/self/mountinfo", "22 27 0:21 / /proc rw,relatime - proc proc rw\n");
        write("sys/fs/cgroup/memory.max", "1048576\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void aProcessInOnlyOtherV1ControllersHasNoLimit() throws IOException {
        machine();
        write("proc/self/cgroup", "3:cpu,cpuacct:/a\n\n");
        write("proc/self/mountinfo", MOUNTINFO_V1);
        write("sys/fs/cgroup/cpu,cpuacct/a/memory.limit_in_bytes", "1048576\n");

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void garbledLinesInTheCgroupFilesAreSkipped() throws IOException {
        machine();
        write("proc/self/cgroup", "garbage\n7:memory\n5:memory:relative\n0::/a\n");
        write("proc/self/mountinfo", "garbage\n1 2 3 - cgroup2\n\n" + MOUNTINFO_V2
                + "40 30 0:40 / /sys/fs/cgroup/x - cgroup\n");
        write("sys/fs/cgroup/a/memory.max", "1073741824\n");

        assertMemory(GIB, Source.CGROUP_V2, "/sys/fs/cgroup/a/memory.max", detect());
    }

    @Test
    void aCgroupLimitAboveThePhysicalMemoryLeavesThePhysicalMemory() throws IOException {
        machine();
        v2("/a");
        write("sys/fs/cgroup/a/memory.max", Long.toString(64 * GIB));

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void aCgroupLimitEqualToThePhysicalMemoryNamesTheCgroup() throws IOException {
        machine();
        v2("/a");
        write("sys/fs/cgroup/a/memory.max", Long.toString(MEMINFO_BYTES));

        assertMemory(MEMINFO_BYTES, Source.CGROUP_V2, "/sys/fs/cgroup/a/memory.max", detect());
    }

    @Test
    void aCgroupLimitWithoutMeminfoIsStillKnown() throws IOException {
        v2("/a");
        write("sys/fs/cgroup/a/memory.max", "1073741824\n");

        assertMemory(GIB, Source.CGROUP_V2, "/sys/fs/cgroup/a/memory.max", detect());
    }

    // ---- -XX:MaxDirectMemorySize

    @Test
    void maxDirectMemorySmallerThanTheCgroupLimit() throws IOException {
        machine();
        v2("/a");
        write("sys/fs/cgroup/a/memory.max", "4294967296\n");
        cmdline("/usr/bin/java", "-Xmx1g", "-XX:MaxDirectMemorySize=512m", "-cp", "app.jar", "org.example.Main");

        SystemBudget budget = detect();

        assertMemory(512 * MIB, Source.MAX_DIRECT_MEMORY, "the command line", budget);
        assertTrue(budget.describe().startsWith(
                "memory budget 64 MiB = 1/8 of -XX:MaxDirectMemorySize 512 MiB in the command line; "),
                budget.describe());
    }

    @Test
    void maxDirectMemoryAboveTheCgroupLimitLeavesTheCgroup() throws IOException {
        machine();
        v2("/a");
        write("sys/fs/cgroup/a/memory.max", "1073741824\n");
        cmdline("java", "-XX:MaxDirectMemorySize=2G", "-jar", "app.jar");

        assertMemory(GIB, Source.CGROUP_V2, "/sys/fs/cgroup/a/memory.max", detect());
    }

    @Test
    void maxDirectMemoryWithoutAnythingElse() throws IOException {
        cmdline("java", "-XX:MaxDirectMemorySize=1g", "-m", "my.module/my.Main");

        assertMemory(GIB, Source.MAX_DIRECT_MEMORY, "the command line", detect());
    }

    @Test
    void theLastMaxDirectMemorySizeWins() throws IOException {
        machine();
        cmdline("java", "-XX:MaxDirectMemorySize=64m", "-XX:MaxDirectMemorySize=1g", "Main");

        assertMemory(GIB, Source.MAX_DIRECT_MEMORY, "the command line", detect());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "java|Main|-XX:MaxDirectMemorySize=1m",
        "java|-jar|app.jar|-XX:MaxDirectMemorySize=1m",
        "java|-m|mod/Main|-XX:MaxDirectMemorySize=1m",
        "java|--module=mod/Main|-XX:MaxDirectMemorySize=1m",
        "java|-cp|-XX:MaxDirectMemorySize=1m|Main",
        "java|-XX:MaxDirectMemorySize=lots|Main",
        "-XX:MaxDirectMemorySize=1m",
        "java|-XX:MaxDirectMemorySize=|Main",
    })
    void argumentsOfTheApplicationOrMalformedOnesAreNotTheJvmsSetting(String args) throws IOException {
        machine();
        cmdline(args.split("\\|"));

        assertMemory(MEMINFO_BYTES, Source.PROC_MEMINFO, "/proc/meminfo", detect());
    }

    @Test
    void optionVariablesFollowTheJvmsPrecedence() throws IOException {
        machine();
        environ("PATH=/usr/bin", "JAVA_TOOL_OPTIONS=-Dx='a b' -XX:MaxDirectMemorySize=128m", "EMPTY=", "=odd");

        assertMemory(128 * MIB, Source.MAX_DIRECT_MEMORY, "JAVA_TOOL_OPTIONS", detect());

        environ("JAVA_TOOL_OPTIONS=-XX:MaxDirectMemorySize=128m", "JDK_JAVA_OPTIONS=-XX:MaxDirectMemorySize=256m");

        assertMemory(256 * MIB, Source.MAX_DIRECT_MEMORY, "JDK_JAVA_OPTIONS", detect());

        cmdline("java", "-XX:MaxDirectMemorySize=384m", "Main");

        assertMemory(384 * MIB, Source.MAX_DIRECT_MEMORY, "the command line", detect());

        environ("JAVA_TOOL_OPTIONS=-XX:MaxDirectMemorySize=128m", "_JAVA_OPTIONS=\"-XX:MaxDirectMemorySize=3g\"");

        assertMemory(3 * GIB, Source.MAX_DIRECT_MEMORY, "_JAVA_OPTIONS", detect());
    }

    @Test
    void maxDirectMemoryOfZeroIsALimitOfZero() throws IOException {
        // The JVM then allows no direct buffers at all; 0 is not "not set" once it is given.
        machine();
        cmdline("java", "-XX:MaxDirectMemorySize=0", "Main");

        assertMemory(0, Source.MAX_DIRECT_MEMORY, "the command line", detect());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1024, 1024",
        "64k, 65536",
        "64K, 65536",
        "512m, 536870912",
        "512M, 536870912",
        "2g, 2147483648",
        "2G, 2147483648",
        "1t, 1099511627776",
        "1T, 1099511627776",
        "0x100, 256",
        "0X10k, 16384",
        "9223372036854775807, 9223372036854775807",
        "8589934591g, 9223372035781033984",
    })
    void sizesAsTheJvmReadsThem(String value, long bytes) {
        assertEquals(OptionalLong.of(bytes), MaxDirectMemory.parseSize(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "-1", "+5", "1.5g", "12x", "1kb", "0x", "0xg", " 1", "8589934592g",
        "9223372036854775808", "1 g"})
    void malformedSizesAreRejected(String value) {
        assertEquals(OptionalLong.empty(), MaxDirectMemory.parseSize(value));
    }

    @Test
    void optionVariablesAreSplitLikeTheJvmDoes() {
        assertEquals(List.of("-Da=b c", "-Xmx1g", "-Dq=x'y"),
                MaxDirectMemory.tokenize("  -Da='b c'\t-Xmx1g  \"-Dq=x'y\" "));
        assertEquals(List.of(""), MaxDirectMemory.tokenize("''"));
        assertEquals(List.of(), MaxDirectMemory.tokenize(null));
        assertEquals(List.of(), MaxDirectMemory.tokenize("   "));
    }

    // ---- description, sizes and the API

    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1 KiB",
        "1536, 1.5 KiB",
        "3221225472, 3 GiB",
        "3159525376, 2.9 GiB",
        "9223372036854775807, 8.0 EiB",
    })
    void sizesForPeople(long bytes, String text) {
        assertEquals(text, SystemBudget.bytes(bytes));
    }

    @Test
    void aGivenBudget() {
        SystemBudget budget = SystemBudget.of(GIB, 4096);

        assertEquals(new SystemBudget(GIB, Source.GIVEN, 4096, Source.GIVEN), budget);
        assertEquals(new SystemBudget(GIB, GIB, Source.GIVEN, "", 4096, 4096, Source.GIVEN), budget);
        assertFalse(Source.GIVEN.isFallback());
        assertEquals("memory budget 1 GiB (given); fd budget 4096 (given)", budget.describe());
    }

    @Test
    void aBudgetThatIsNotTheUsualShareSaysWhereItCameFrom() {
        SystemBudget budget = new SystemBudget(GIB, 3 * GIB, Source.CGROUP_V2, "", 100, Long.MAX_VALUE,
                Source.PROC_SELF_LIMITS);

        assertEquals("memory budget 1 GiB from cgroup v2 memory.max 3 GiB; fd budget 100 from soft RLIMIT_NOFILE "
                + "unlimited at /proc/self/limits", budget.describe());
    }

    @Test
    void everySourceHasALabel() {
        for (Source source : Source.values()) {
            assertFalse(source.label().isBlank(), source::name);
        }
        assertEquals(Set.of(Source.JVM_MAX_MEMORY, Source.UNKNOWN),
                Set.of(Source.values()).stream().filter(Source::isFallback).collect(Collectors.toSet()));
    }

    @Test
    void detectOnThisMachineDoesNotThrow() {
        SystemBudget budget = SystemBudget.detect();

        assertTrue(budget.memoryBytes() >= 0 && budget.fdLimit() >= 0);
        if (Files.isReadable(Path.of("/proc/meminfo"))) {
            assertTrue(Set.of(Source.CGROUP_V2, Source.CGROUP_V1, Source.MAX_DIRECT_MEMORY, Source.PROC_MEMINFO)
                    .contains(budget.memorySource()), budget::describe);
            assertTrue(budget.memoryBytes() > 0, budget::describe);
        }
        assertEquals(budget, SystemBudget.forAutoScale());
        assertEquals(DefaultLimits.defaults().scale(budget), DefaultLimits.defaults().autoScale());
    }

    @Test
    void invalidBudgetsAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SystemBudget.of(-1, 0))
                .getMessage().startsWith("memoryBytes "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SystemBudget.of(0, -1))
                .getMessage().startsWith("fdLimit "));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SystemBudget(0, -1, Source.GIVEN, "", 0, 0, Source.GIVEN))
                .getMessage().startsWith("memoryTotal "));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SystemBudget(0, 0, Source.GIVEN, "", 0, -1, Source.GIVEN))
                .getMessage().startsWith("fdTotal "));
        assertEquals("memorySource", assertThrows(NullPointerException.class,
                () -> new SystemBudget(0, null, 0, Source.GIVEN)).getMessage());
        assertEquals("fdSource", assertThrows(NullPointerException.class,
                () -> new SystemBudget(0, Source.GIVEN, 0, null)).getMessage());
        assertEquals("memoryOrigin", assertThrows(NullPointerException.class,
                () -> new SystemBudget(0, 0, Source.GIVEN, null, 0, 0, Source.GIVEN)).getMessage());
        assertThrows(NullPointerException.class, () -> SystemBudget.detect(null));
    }
}
