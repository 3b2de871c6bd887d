package org.jrcmgr.impl.limit;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jrcmgr.impl.limit.SystemBudget.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory limit of this process's cgroup, read from text files so that no native access is
 * needed: the cgroup comes from {@code /proc/self/cgroup}, where its hierarchy is mounted from
 * {@code /proc/self/mountinfo}, and the limit is the smallest {@code memory.max} (v2) or
 * {@code memory.limit_in_bytes} (v1) from the process's cgroup up to the mount point, because a
 * parent's limit bounds all of its children.
 *
 * <p>On a hybrid host both hierarchies are read and the smaller limit wins: the memory controller
 * is attached to only one of them, and the other simply has no limit files.
 */
final class CgroupMemory {

    private static final Logger LOG = LoggerFactory.getLogger(CgroupMemory.class);

    /**
     * Cgroup v1 writes "no limit" as {@code LONG_MAX} rounded down to the page size
     * (9223372036854771712 with 4 KiB pages, less with larger pages); no machine has 4 EiB, so
     * anything from here up means no limit whatever the page size.
     */
    static final long V1_UNLIMITED_FROM = 1L << 62;

    private static final String V2_FILE = "memory.max";
    private static final String V1_FILE = "memory.limit_in_bytes";

    private CgroupMemory() {
    }

    /**
     * A limit and where it was read.
     *
     * @param bytes  the limit
     * @param source {@link Source#CGROUP_V2} or {@link Source#CGROUP_V1}
     * @param file   the limit file as the real system names it
     */
    record Limit(long bytes, Source source, String file) {
    }

    /** The smallest memory limit bounding this process's cgroups under {@code root}, if there is one. */
    static Optional<Limit> detect(Path root) {
        Path cgroupFile = root.resolve("proc/self/cgroup");
        List<String> lines;
        try {
            lines = ProcFiles.readLines(cgroupFile);
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; no cgroup memory limit", cgroupFile);
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            ProcFiles.warnOnce(LOG, "cannot read " + cgroupFile + " (" + e + "); no cgroup memory limit");
            return Optional.empty();
        }

        String v2Path = null;
        String v1Path = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            // hierarchy-ID:controller-list:cgroup-path; the path itself may contain ':'.
            String[] fields = line.split(":", 3);
            if (fields.length != 3 || !fields[2].startsWith("/")) {
                ProcFiles.warnOnce(LOG, "cannot parse \"" + line + "\" in " + cgroupFile + "; line ignored");
                continue;
            }
            if (fields[0].equals("0") && fields[1].isEmpty()) {
                v2Path = fields[2];
            } else if (Arrays.asList(fields[1].split(",")).contains("memory")) {
                v1Path = fields[2];
            }
        }
        if (v2Path == null && v1Path == null) {
            LOG.debug("{} names no v2 cgroup and no v1 memory cgroup; no cgroup memory limit", cgroupFile);
            return Optional.empty();
        }

        List<Mount> mounts = readMountinfo(root);
        Optional<Limit> v2 = v2Path == null ? Optional.empty() : limitOf(root, mounts, v2Path, Source.CGROUP_V2);
        Optional<Limit> v1 = v1Path == null ? Optional.empty() : limitOf(root, mounts, v1Path, Source.CGROUP_V1);
        if (v2.isPresent() && v1.isPresent()) {
            return v1.get().bytes() < v2.get().bytes() ? v1 : v2;
        }
        return v2.isPresent() ? v2 : v1;
    }

    /** The smallest limit from the cgroup at {@code cgroupPath} up to the root of its mounted hierarchy. */
    private static Optional<Limit> limitOf(Path root, List<Mount> mounts, String cgroupPath, Source source) {
        for (Mount mount : mounts) {
            if (!mount.holds(source)) {
                continue;
            }
            Optional<Path> dir = mount.directoryOf(root, cgroupPath);
            if (dir.isPresent()) {
                return smallestUpTo(root, dir.get(), mount.directory(root), source);
            }
        }
        LOG.debug("no mount in {} shows the {} cgroup {}; no limit from it",
                root.resolve("proc/self/mountinfo"), source == Source.CGROUP_V2 ? "v2" : "v1 memory", cgroupPath);
        return Optional.empty();
    }

    private static Optional<Limit> smallestUpTo(Path root, Path dir, Path top, Source source) {
        String fileName = source == Source.CGROUP_V2 ? V2_FILE : V1_FILE;
        Limit smallest = null;
        for (Path level = dir; level != null && level.startsWith(top); level = level.getParent()) {
            Path file = level.resolve(fileName);
            Long limit = readLimit(file, source);
            if (limit != null && (smallest == null || limit < smallest.bytes())) {
                smallest = new Limit(limit, source, ProcFiles.display(root, file));
            }
        }
        return Optional.ofNullable(smallest);
    }

    /** The limit in {@code file}, null if the file sets none or cannot be read. */
    private static Long readLimit(Path file, Source source) {
        String value;
        try {
            List<String> lines = ProcFiles.readLines(file);
            value = lines.isEmpty() ? "" : lines.get(0).trim();
        } catch (NoSuchFileException e) {
            // The root cgroup has no limit file, nor has a hierarchy without the memory controller.
            return null;
        } catch (IOException | SecurityException e) {
            ProcFiles.warnOnce(LOG, "cannot read " + file + " (" + e + "); this level's memory limit is ignored");
            return null;
        }
        if (source == Source.CGROUP_V2 && value.equals("max")) {
            return null;
        }
        try {
            long limit = Long.parseLong(value);
            if (source == Source.CGROUP_V1 && (limit < 0 || limit >= V1_UNLIMITED_FROM)) {
                return null;
            }
            if (limit >= 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Reported below, like a negative v2 limit.
        }
        ProcFiles.warnOnce(LOG, "cannot parse \"" + value + "\" in " + file + "; this level's memory limit is ignored");
        return null;
    }

    private static List<Mount> readMountinfo(Path root) {
        Path mountinfo = root.resolve("proc/self/mountinfo");
        List<String> lines;
        try {
            lines = ProcFiles.readLines(mountinfo);
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; no cgroup memory limit", mountinfo);
            return List.of();
        } catch (IOException | SecurityException e) {
            ProcFiles.warnOnce(LOG, "cannot read " + mountinfo + " (" + e + "); no cgroup memory limit");
            return List.of();
        }
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            // ID parent major:minor root mount-point options [optional...] - fstype source super-options
            String[] fields = line.trim().split(" +");
            int separator = Arrays.asList(fields).indexOf("-");
            if (separator < 5 || fields.length < separator + 2) {
                if (!line.isBlank()) {
                    ProcFiles.warnOnce(LOG, "cannot parse \"" + line + "\" in " + mountinfo + "; line ignored");
                }
                continue;
            }
            String fsType = fields[separator + 1];
            if (fsType.equals("cgroup2") || fsType.equals("cgroup")) {
                List<String> superOptions = fields.length > separator + 3
                        ? List.of(fields[separator + 3].split(","))
                        : List.of();
                mounts.add(new Mount(unescape(fields[3]), unescape(fields[4]), fsType, superOptions));
            }
        }
        return mounts;
    }

    /** Undoes mountinfo's octal escapes ({@code \040} for a space). */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        for (int i = from; i < from + 3; i++) {
            if (i >= s.length() || s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /**
     * A mounted cgroup hierarchy.
     *
     * @param root         the cgroup shown at the mount point, relative to the hierarchy's root
     * @param mountPoint   where it is mounted
     * @param fsType       {@code cgroup2} or {@code cgroup}
     * @param superOptions the v1 controllers are among these
     */
    private record Mount(String root, String mountPoint, String fsType, List<String> superOptions) {

        boolean holds(Source source) {
            return source == Source.CGROUP_V2
                    ? fsType.equals("cgroup2")
                    : fsType.equals("cgroup") && superOptions.contains("memory");
        }

        Path directory(Path fsRoot) {
            return fsRoot.resolve(mountPoint.substring(1)).normalize();
        }

        /**
         * The directory of {@code cgroupPath} under this mount. In a container without its own
         * cgroup namespace, the process's path is the full one (/docker/abc) while the mount shows
         * only that cgroup (root /docker/abc at /sys/fs/cgroup), so the mount's root is cut off the
         * path first; a path outside the mount's root is not visible here.
         */
        Optional<Path> directoryOf(Path fsRoot, String cgroupPath) {
            String relative;
            if (root.equals("/")) {
                relative = cgroupPath;
            } else if (cgroupPath.equals(root) || cgroupPath.startsWith(root + "/")) {
                relative = cgroupPath.substring(root.length());
            } else {
                return Optional.empty();
            }
            if (!mountPoint.startsWith("/")) {
                return Optional.empty();
            }
            try {
                Path top = directory(fsRoot);
                Path dir = top.resolve(relative.replaceFirst("^/+", "")).normalize();
                // A path with ".." (a process outside its cgroup namespace) must not leave the mount.
                return dir.startsWith(top) ? Optional.of(dir) : Optional.empty();
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }
    }
}
