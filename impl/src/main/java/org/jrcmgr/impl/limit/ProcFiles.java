package org.jrcmgr.impl.limit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/** Reading the text files of {@code /proc} and {@code /sys}, and reporting what is wrong with them. */
final class ProcFiles {

    /**
     * Problems already reported at warn level. Every {@link SystemBudget#detect} reads the same
     * files again, so a broken file would otherwise repeat its warning with every scaled config.
     */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** Caps {@link #WARNED}: the files are few, but a misbehaving caller must not grow it forever. */
    private static final int MAX_WARNED = 256;

    private ProcFiles() {
    }

    static List<String> readLines(Path file) throws IOException {
        // ISO-8859-1 decodes every byte, so stray bytes show up as a parse failure, not a decoding one.
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    }

    /** The NUL-terminated strings of {@code /proc/self/cmdline} or {@code /proc/self/environ}. */
    static List<String> readNulSeparated(Path file) throws IOException {
        String all = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length(); i++) {
            if (all.charAt(i) == '\0') {
                parts.add(all.substring(start, i));
                start = i + 1;
            }
        }
        if (start < all.length()) {
            parts.add(all.substring(start));
        }
        return parts;
    }

    /** Logs {@code message} at warn level the first time, at debug level after that. */
    static void warnOnce(Logger log, String message) {
        if (WARNED.size() < MAX_WARNED && WARNED.add(message)) {
            log.warn(message);
        } else {
            log.debug(message);
        }
    }

    /** The path as it reads on the real system: {@code /} plus {@code file} relative to {@code root}. */
    static String display(Path root, Path file) {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        Path absoluteFile = file.toAbsolutePath().normalize();
        if (!absoluteFile.startsWith(absoluteRoot)) {
            return absoluteFile.toString();
        }
        return "/" + absoluteRoot.relativize(absoluteFile).toString().replace('\\', '/');
    }
}
