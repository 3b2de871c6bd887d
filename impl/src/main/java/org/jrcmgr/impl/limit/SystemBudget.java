package org.jrcmgr.impl.limit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget {@link ScalingLimitConfig#autoScale()} scales to, as go-libp2p's {@code AutoScale}
 * computes it: an eighth of the machine's memory and half of the process's soft open-files limit.
 *
 * <p>Both come from the Linux {@code /proc} files, read as text so that no native access is
 * needed. Where they cannot be read or make no sense, {@link #detect} falls back rather than
 * failing, and says so in {@link #memorySource()} and {@link #fdSource()}: a node that cannot
 * measure its machine should still start, with limits no larger than it can justify.
 *
 * @param memoryBytes  the memory budget in bytes
 * @param memorySource where {@code memoryBytes} came from
 * @param fdLimit      the file descriptors to budget; 0 when unknown, which keeps the base FD limits,
 *                     {@link Long#MAX_VALUE} when the process has no open-files limit
 * @param fdSource     where {@code fdLimit} came from
 */
public record SystemBudget(long memoryBytes, Source memorySource, long fdLimit, Source fdSource) {

    private static final Logger LOG = LoggerFactory.getLogger(SystemBudget.class);

    /** go-libp2p budgets an eighth of the machine's memory for the network stack. */
    private static final long MEMORY_SHARE_DIVISOR = 8;

    /** go-libp2p leaves half of the open-files limit to the rest of the process. */
    private static final long FD_SHARE_DIVISOR = 2;

    private static final String MEM_TOTAL = "MemTotal:";
    private static final String MAX_OPEN_FILES = "Max open files";

    /**
     * @throws IllegalArgumentException if {@code memoryBytes} or {@code fdLimit} is negative
     * @throws NullPointerException     if a source is null
     */
    public SystemBudget {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must not be negative, got " + memoryBytes);
        }
        if (fdLimit < 0) {
            throw new IllegalArgumentException("fdLimit must not be negative, got " + fdLimit);
        }
        Objects.requireNonNull(memorySource, "memorySource");
        Objects.requireNonNull(fdSource, "fdSource");
    }

    /**
     * A budget chosen by the caller rather than measured, both sources {@link Source#GIVEN}.
     *
     * @throws IllegalArgumentException if an argument is negative
     */
    public static SystemBudget of(long memoryBytes, long fdLimit) {
        return new SystemBudget(memoryBytes, Source.GIVEN, fdLimit, Source.GIVEN);
    }

    /** The budget of this machine and process, from {@code /proc}. */
    public static SystemBudget detect() {
        return detect(Path.of("/"));
    }

    /**
     * The budget from the {@code proc/meminfo} and {@code proc/self/limits} files under
     * {@code root}; never throws for missing or malformed files.
     *
     * <ul>
     *   <li>memory: {@code MemTotal} / 8; if unreadable, {@link Runtime#maxMemory()} / 8
     *       ({@link Source#JVM_MAX_MEMORY}); if the JVM has no heap limit either, 0
     *       ({@link Source#UNKNOWN}), which leaves every scope at its base limits;</li>
     *   <li>file descriptors: the soft "Max open files" limit / 2; {@link Long#MAX_VALUE} if that
     *       limit is {@code unlimited}; 0 ({@link Source#UNKNOWN}) if unreadable.</li>
     * </ul>
     *
     * @param root the directory holding {@code proc}, {@code /} on a real system
     */
    public static SystemBudget detect(Path root) {
        return detect(root, Runtime.getRuntime().maxMemory());
    }

    /** {@link #detect(Path)} with the JVM's heap limit given, so that every fallback can be tested. */
    static SystemBudget detect(Path root, long jvmMaxMemory) {
        Objects.requireNonNull(root, "root");
        long memory;
        Source memorySource;
        OptionalLong memTotal = readMemTotal(root.resolve("proc/meminfo"));
        if (memTotal.isPresent()) {
            memory = memTotal.getAsLong() / MEMORY_SHARE_DIVISOR;
            memorySource = Source.PROC_MEMINFO;
        } else if (jvmMaxMemory > 0 && jvmMaxMemory != Long.MAX_VALUE) {
            // Runtime.maxMemory() reports Long.MAX_VALUE when the heap has no bound; an eighth of
            // that would lift every limit, so it counts as not knowing at all.
            memory = jvmMaxMemory / MEMORY_SHARE_DIVISOR;
            memorySource = Source.JVM_MAX_MEMORY;
        } else {
            memory = 0;
            memorySource = Source.UNKNOWN;
        }

        long fds;
        Source fdSource;
        OptionalLong openFiles = readSoftOpenFilesLimit(root.resolve("proc/self/limits"));
        if (openFiles.isPresent()) {
            long soft = openFiles.getAsLong();
            fds = soft == Long.MAX_VALUE ? Long.MAX_VALUE : soft / FD_SHARE_DIVISOR;
            fdSource = Source.PROC_SELF_LIMITS;
        } else {
            fds = 0;
            fdSource = Source.UNKNOWN;
        }
        return new SystemBudget(memory, memorySource, fds, fdSource);
    }

    /** {@code MemTotal} in bytes, if the file has a well-formed, positive one. */
    private static OptionalLong readMemTotal(Path meminfo) {
        try {
            for (String line : readLines(meminfo)) {
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
                LOG.warn("cannot parse \"{}\" in {}; the memory budget falls back", line.trim(), meminfo);
                return OptionalLong.empty();
            }
            LOG.warn("no MemTotal in {}; the memory budget falls back", meminfo);
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; the memory budget falls back", meminfo);
        } catch (IOException | NumberFormatException | ArithmeticException | SecurityException e) {
            // The cause in one line: a stack trace says nothing more about an unreadable file.
            LOG.warn("cannot read the total memory from {} ({}); the memory budget falls back", meminfo,
                    e.toString());
        }
        return OptionalLong.empty();
    }

    /**
     * The soft open-files limit, {@link Long#MAX_VALUE} for {@code unlimited}, if the file has a
     * well-formed one.
     */
    private static OptionalLong readSoftOpenFilesLimit(Path limits) {
        try {
            for (String line : readLines(limits)) {
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
                LOG.warn("cannot parse \"{}\" in {}; file-descriptor limits stay at their base",
                        line.trim(), limits);
                return OptionalLong.empty();
            }
            LOG.warn("no open-files limit in {}; file-descriptor limits stay at their base", limits);
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; file-descriptor limits stay at their base", limits);
        } catch (IOException | NumberFormatException | SecurityException e) {
            LOG.warn("cannot read the open-files limit from {} ({}); file-descriptor limits stay at their base",
                    limits, e.toString());
        }
        return OptionalLong.empty();
    }

    private static List<String> readLines(Path file) throws IOException {
        // ISO-8859-1 decodes every byte, so stray bytes show up as a parse failure, not a decoding one.
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    }

    /** Where a value of a {@link SystemBudget} came from. */
    public enum Source {
        /** {@code MemTotal} in {@code /proc/meminfo}. */
        PROC_MEMINFO(false),
        /** The soft "Max open files" limit in {@code /proc/self/limits}. */
        PROC_SELF_LIMITS(false),
        /** {@link Runtime#maxMemory()}, because the machine's memory could not be read. */
        JVM_MAX_MEMORY(true),
        /** Nothing could be read; the value is 0, which leaves the limits at their base. */
        UNKNOWN(true),
        /** Given by the caller. */
        GIVEN(false);

        private final boolean fallback;

        Source(boolean fallback) {
            this.fallback = fallback;
        }

        /** Whether the intended source could not be read and this one stands in for it. */
        public boolean isFallback() {
            return fallback;
        }
    }
}
