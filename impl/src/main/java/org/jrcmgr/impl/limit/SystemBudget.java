package org.jrcmgr.impl.limit;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget {@link ScalingLimitConfig#autoScale()} scales to, with go-libp2p's {@code AutoScale}
 * fractions: an eighth of the memory the process may use and half of its soft open-files limit.
 *
 * <p>go-libp2p takes the host's RAM, which in a container is far more than the container may use.
 * {@link #detect} takes the smallest memory size it can find out of, in this order (the first wins
 * a tie):
 * <ol>
 *   <li>the cgroup memory limit of this process: the smallest cgroup v2 {@code memory.max} or
 *       cgroup v1 {@code memory.limit_in_bytes} from its own cgroup up to the root of the mounted
 *       hierarchy ({@link Source#CGROUP_V2}, {@link Source#CGROUP_V1});</li>
 *   <li>{@code -XX:MaxDirectMemorySize} when it was set ({@link Source#MAX_DIRECT_MEMORY});</li>
 *   <li>the physical memory, {@code MemTotal} ({@link Source#PROC_MEMINFO}).</li>
 * </ol>
 * and takes the file-descriptor limit from the soft "Max open files" limit
 * ({@link Source#PROC_SELF_LIMITS}).
 *
 * <p>Everything is read from {@code /proc} and {@code /sys/fs/cgroup} as text, so no native access
 * is needed. Where a file cannot be read or makes no sense, {@link #detect} falls back rather than
 * failing, logs the problem (at warn level the first time) and says in {@link #memorySource()} and
 * {@link #fdSource()} what it used: a node that cannot measure its machine should still start,
 * with limits no larger than it can justify. {@link #describe()} says it in a sentence.
 *
 * @param memoryBytes  the memory budget in bytes
 * @param memoryTotal  the memory size the budget is a share of, in bytes
 * @param memorySource where {@code memoryTotal} came from
 * @param memoryOrigin the file or option {@code memoryTotal} was read from, as the real system names
 *                     it ({@code /sys/fs/cgroup/memory.max}, {@code /proc/meminfo}, {@code the command
 *                     line}, ...); empty when it was not read
 * @param fdLimit      the file descriptors to budget; 0 when unknown, which keeps the base FD limits,
 *                     {@link Long#MAX_VALUE} when the process has no open-files limit
 * @param fdTotal      the open-files limit the budget is a share of; {@link Long#MAX_VALUE} for none
 * @param fdSource     where {@code fdTotal} came from
 */
public record SystemBudget(
        long memoryBytes,
        long memoryTotal,
        Source memorySource,
        String memoryOrigin,
        long fdLimit,
        long fdTotal,
        Source fdSource) {

    private static final Logger LOG = LoggerFactory.getLogger(SystemBudget.class);

    /** go-libp2p budgets an eighth of the machine's memory for the network stack. */
    private static final long MEMORY_SHARE_DIVISOR = 8;

    /** go-libp2p leaves half of the open-files limit to the rest of the process. */
    private static final long FD_SHARE_DIVISOR = 2;

    private static final String MEM_TOTAL = "MemTotal:";
    private static final String MAX_OPEN_FILES = "Max open files";

    /** The last budget {@link #forAutoScale()} reported, so that an unchanged budget is logged once. */
    private static final AtomicReference<String> LAST_REPORTED = new AtomicReference<>();

    /**
     * @throws IllegalArgumentException if a size is negative
     * @throws NullPointerException     if a source or the origin is null
     */
    public SystemBudget {
        requireNotNegative(memoryBytes, "memoryBytes");
        requireNotNegative(memoryTotal, "memoryTotal");
        Objects.requireNonNull(memorySource, "memorySource");
        Objects.requireNonNull(memoryOrigin, "memoryOrigin");
        requireNotNegative(fdLimit, "fdLimit");
        requireNotNegative(fdTotal, "fdTotal");
        Objects.requireNonNull(fdSource, "fdSource");
    }

    /**
     * A budget that is not a share of anything: each total equals its budget, the origin is empty.
     *
     * @throws IllegalArgumentException if {@code memoryBytes} or {@code fdLimit} is negative
     * @throws NullPointerException     if a source is null
     */
    public SystemBudget(long memoryBytes, Source memorySource, long fdLimit, Source fdSource) {
        this(memoryBytes, memoryBytes, memorySource, "", fdLimit, fdLimit, fdSource);
    }

    private static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    /**
     * A budget chosen by the caller rather than measured, both sources {@link Source#GIVEN}.
     *
     * @throws IllegalArgumentException if an argument is negative
     */
    public static SystemBudget of(long memoryBytes, long fdLimit) {
        return new SystemBudget(memoryBytes, Source.GIVEN, fdLimit, Source.GIVEN);
    }

    /**
     * The budget of this process on this machine. {@code detect().describe()} tells what
     * {@link ScalingLimitConfig#autoScale()} chooses here and why.
     */
    public static SystemBudget detect() {
        return detect(Path.of("/"));
    }

    /**
     * The budget from the files under {@code root}: {@code proc/self/cgroup},
     * {@code proc/self/mountinfo} and the cgroup limit files it leads to, {@code proc/self/cmdline}
     * and {@code proc/self/environ} for {@code -XX:MaxDirectMemorySize}, {@code proc/meminfo} and
     * {@code proc/self/limits}. Never throws for missing or malformed files.
     *
     * <ul>
     *   <li>memory: the smallest of the cgroup limit, {@code -XX:MaxDirectMemorySize} and
     *       {@code MemTotal} that could be read, / 8; if none could, {@link Runtime#maxMemory()} / 8
     *       ({@link Source#JVM_MAX_MEMORY}); if the JVM has no heap limit either, 0
     *       ({@link Source#UNKNOWN}), which leaves every scope at its base limits;</li>
     *   <li>file descriptors: the soft "Max open files" limit / 2; {@link Long#MAX_VALUE} if that
     *       limit is {@code unlimited}; 0 ({@link Source#UNKNOWN}) if unreadable.</li>
     * </ul>
     *
     * @param root the directory holding {@code proc} and {@code sys}, {@code /} on a real system
     */
    public static SystemBudget detect(Path root) {
        return detect(root, Runtime.getRuntime().maxMemory());
    }

    /** {@link #detect(Path)} with the JVM's heap limit given, so that every fallback can be tested. */
    static SystemBudget detect(Path root, long jvmMaxMemory) {
        Objects.requireNonNull(root, "root");
        long memoryTotal = 0;
        Source memorySource = Source.UNKNOWN;
        String memoryOrigin = "";

        Optional<CgroupMemory.Limit> cgroup = CgroupMemory.detect(root);
        if (cgroup.isPresent()) {
            memoryTotal = cgroup.get().bytes();
            memorySource = cgroup.get().source();
            memoryOrigin = cgroup.get().file();
        }
        Optional<MaxDirectMemory.Setting> direct = MaxDirectMemory.detect(root);
        if (direct.isPresent() && (memorySource == Source.UNKNOWN || direct.get().bytes() < memoryTotal)) {
            memoryTotal = direct.get().bytes();
            memorySource = Source.MAX_DIRECT_MEMORY;
            memoryOrigin = direct.get().origin();
        }
        Path meminfo = root.resolve("proc/meminfo");
        OptionalLong memTotal = readMemTotal(meminfo);
        if (memTotal.isPresent() && (memorySource == Source.UNKNOWN || memTotal.getAsLong() < memoryTotal)) {
            memoryTotal = memTotal.getAsLong();
            memorySource = Source.PROC_MEMINFO;
            memoryOrigin = ProcFiles.display(root, meminfo);
        }
        if (memorySource == Source.UNKNOWN && jvmMaxMemory > 0 && jvmMaxMemory != Long.MAX_VALUE) {
            // Runtime.maxMemory() reports Long.MAX_VALUE when the heap has no bound; an eighth of
            // that would lift every limit, so it counts as not knowing at all.
            memoryTotal = jvmMaxMemory;
            memorySource = Source.JVM_MAX_MEMORY;
            memoryOrigin = "Runtime.maxMemory()";
        }

        long fdTotal = 0;
        long fds = 0;
        Source fdSource = Source.UNKNOWN;
        OptionalLong openFiles = readSoftOpenFilesLimit(root.resolve("proc/self/limits"));
        if (openFiles.isPresent()) {
            fdTotal = openFiles.getAsLong();
            fds = fdTotal == Long.MAX_VALUE ? Long.MAX_VALUE : fdTotal / FD_SHARE_DIVISOR;
            fdSource = Source.PROC_SELF_LIMITS;
        }
        return new SystemBudget(memoryTotal / MEMORY_SHARE_DIVISOR, memoryTotal, memorySource, memoryOrigin,
                fds, fdTotal, fdSource);
    }

    /**
     * {@link #detect()}, logged at info level when the budget differs from the one logged last, so
     * that a node's log says once what its limits were scaled to.
     */
    static SystemBudget forAutoScale() {
        SystemBudget budget = detect();
        String description = budget.describe();
        if (!description.equals(LAST_REPORTED.getAndSet(description))) {
            LOG.info("autoscaling limits to {}", description);
        } else {
            LOG.debug("autoscaling limits to {}", description);
        }
        return budget;
    }

    /**
     * The budget in a sentence for people, for example {@code memory budget 3 GiB = 1/8 of cgroup
     * v2 memory.max 24 GiB at /sys/fs/cgroup/memory.max; fd budget 524288 = 1/2 of soft
     * RLIMIT_NOFILE 1048576 at /proc/self/limits}.
     */
    public String describe() {
        return describeMemory() + "; " + describeFds();
    }

    /** {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    private String describeMemory() {
        String budget = "memory budget " + bytes(memoryBytes);
        return switch (memorySource) {
            case UNKNOWN -> budget + ": the memory size is unknown, so memory limits stay at their base";
            case GIVEN -> budget + " (given)";
            default -> budget + share(memoryBytes, memoryTotal, MEMORY_SHARE_DIVISOR)
                    + memorySource.label() + " " + bytes(memoryTotal) + originPhrase();
        };
    }

    private String originPhrase() {
        if (memoryOrigin.isEmpty()) {
            return "";
        }
        return switch (memorySource) {
            case MAX_DIRECT_MEMORY -> " in " + memoryOrigin;
            case JVM_MAX_MEMORY -> " (" + memoryOrigin + "; the machine's memory could not be read)";
            default -> " at " + memoryOrigin;
        };
    }

    private String describeFds() {
        return switch (fdSource) {
            case UNKNOWN -> "fd budget unknown: the open-files limit could not be read, so FD limits stay at "
                    + "their base";
            case GIVEN -> "fd budget " + fdCount(fdLimit) + " (given)";
            default -> fdTotal == Long.MAX_VALUE && fdLimit == Long.MAX_VALUE
                    ? "fd budget unlimited: " + fdSource.label() + fdOrigin() + " is unlimited"
                    : "fd budget " + fdCount(fdLimit) + share(fdLimit, fdTotal, FD_SHARE_DIVISOR)
                            + fdSource.label() + " " + fdCount(fdTotal) + fdOrigin();
        };
    }

    private String fdOrigin() {
        return fdSource == Source.PROC_SELF_LIMITS ? " at /proc/self/limits" : "";
    }

    private static String share(long budget, long total, long divisor) {
        return budget == total / divisor ? " = 1/" + divisor + " of " : " from ";
    }

    private static String fdCount(long count) {
        return count == Long.MAX_VALUE ? "unlimited" : Long.toString(count);
    }

    /** A size in the largest binary unit it reaches, whole when exact and to a tenth otherwise. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int unit = 0;
        while (unit < units.length - 1 && bytes >= 1L << (10 * (unit + 1))) {
            unit++;
        }
        long scale = 1L << (10 * unit);
        if (bytes % scale == 0) {
            return bytes / scale + " " + units[unit];
        }
        return String.format(Locale.ROOT, "%.1f %s", (double) bytes / scale, units[unit]);
    }

    /** {@code MemTotal} in bytes, if the file has a well-formed, positive one. */
    private static OptionalLong readMemTotal(Path meminfo) {
        try {
            for (String line : ProcFiles.readLines(meminfo)) {
                if (!line.startsWith(MEM_TOTAL)) {
                    continue;
                }
                String[] fields = line.substring(MEM_TOTAL.length()).trim().split("\\s+");
                // The kernel always writes kB (meaning KiB); any other shape is not a format we know.
                if (fields.length == 2 && fields[1].equals("kB")) {
                    long kib = Long.parseLong(fields[0]);
                    if (kib > 0) {
                        return OptionalLong.of(Math.multiplyExact(kib, 1024L));
                    }
                }
                ProcFiles.warnOnce(LOG, "cannot parse \"" + line.trim() + "\" in " + meminfo
                        + "; the physical memory is not known");
                return OptionalLong.empty();
            }
            ProcFiles.warnOnce(LOG, "no MemTotal in " + meminfo + "; the physical memory is not known");
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; the physical memory is not known", meminfo);
        } catch (IOException | NumberFormatException | ArithmeticException | SecurityException e) {
            // The cause in one line: a stack trace says nothing more about an unreadable file.
            ProcFiles.warnOnce(LOG, "cannot read the total memory from " + meminfo + " (" + e
                    + "); the physical memory is not known");
        }
        return OptionalLong.empty();
    }

    /**
     * The soft open-files limit, {@link Long#MAX_VALUE} for {@code unlimited}, if the file has a
     * well-formed one.
     */
    private static OptionalLong readSoftOpenFilesLimit(Path limits) {
        try {
            for (String line : ProcFiles.readLines(limits)) {
                if (!line.startsWith(MAX_OPEN_FILES)) {
                    continue;
                }
                // Columns: soft limit, hard limit, units.
                String[] fields = line.substring(MAX_OPEN_FILES.length()).trim().split("\\s+");
                if (fields.length >= 2) {
                    if (fields[0].equals("unlimited")) {
                        return OptionalLong.of(Long.MAX_VALUE);
                    }
                    long soft = Long.parseLong(fields[0]);
                    if (soft >= 0) {
                        return OptionalLong.of(soft);
                    }
                }
                ProcFiles.warnOnce(LOG, "cannot parse \"" + line.trim() + "\" in " + limits
                        + "; file-descriptor limits stay at their base");
                return OptionalLong.empty();
            }
            ProcFiles.warnOnce(LOG, "no open-files limit in " + limits + "; file-descriptor limits stay at their base");
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; file-descriptor limits stay at their base", limits);
        } catch (IOException | NumberFormatException | SecurityException e) {
            ProcFiles.warnOnce(LOG, "cannot read the open-files limit from " + limits + " (" + e
                    + "); file-descriptor limits stay at their base");
        }
        return OptionalLong.empty();
    }

    /** Where a value of a {@link SystemBudget} came from. */
    public enum Source {
        /** The smallest cgroup v2 {@code memory.max} on the way from this process's cgroup to the root. */
        CGROUP_V2(false, "cgroup v2 memory.max"),
        /**
         * The smallest cgroup v1 {@code memory.limit_in_bytes} on the way from this process's memory
         * cgroup to the root.
         */
        CGROUP_V1(false, "cgroup v1 memory.limit_in_bytes"),
        /** The JVM's {@code -XX:MaxDirectMemorySize} option. */
        MAX_DIRECT_MEMORY(false, "-XX:MaxDirectMemorySize"),
        /** {@code MemTotal} in {@code /proc/meminfo}: the physical memory. */
        PROC_MEMINFO(false, "physical memory (MemTotal)"),
        /** The soft "Max open files" limit in {@code /proc/self/limits}. */
        PROC_SELF_LIMITS(false, "soft RLIMIT_NOFILE"),
        /** {@link Runtime#maxMemory()}, because no memory size of the machine could be read. */
        JVM_MAX_MEMORY(true, "the JVM's maximum heap"),
        /** Nothing could be read; the value is 0, which leaves the limits at their base. */
        UNKNOWN(true, "unknown"),
        /** Given by the caller. */
        GIVEN(false, "given");

        private final boolean fallback;
        private final String label;

        Source(boolean fallback, String label) {
            this.fallback = fallback;
            this.label = label;
        }

        /** Whether the intended source could not be read and this one stands in for it. */
        public boolean isFallback() {
            return fallback;
        }

        /** What the source is, in a few words for people ({@code "cgroup v2 memory.max"}). */
        public String label() {
            return label;
        }
    }
}
