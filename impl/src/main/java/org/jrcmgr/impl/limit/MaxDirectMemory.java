package org.jrcmgr.impl.limit;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -XX:MaxDirectMemorySize} when it was set, read from {@code /proc/self/cmdline} and the
 * option variables in {@code /proc/self/environ}.
 *
 * <p>{@code RuntimeMXBean.getInputArguments()} would be simpler but needs the
 * {@code java.management} module, which this module does not read; the {@code /proc} files need
 * nothing and can be faked in tests. The JVM's precedence is followed: {@code JAVA_TOOL_OPTIONS},
 * then {@code JDK_JAVA_OPTIONS} (which the launcher puts before the command line), then the command
 * line, then {@code _JAVA_OPTIONS}; the last setting wins. Not seen: options in {@code @argfiles},
 * {@code -XX:VMOptionsFile} and {@code -XX:Flags} files, and JVMs started through JNI with a
 * command line of their own.
 */
final class MaxDirectMemory {

    private static final Logger LOG = LoggerFactory.getLogger(MaxDirectMemory.class);

    static final String OPTION = "-XX:MaxDirectMemorySize=";

    /** Launcher options whose value is the next argument, so that value is not taken for the main class. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of(
            "-cp", "-classpath", "--class-path", "-p", "--module-path", "--upgrade-module-path",
            "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
            "--patch-module", "--source", "-d", "--describe-module", "--enable-native-access");

    private MaxDirectMemory() {
    }

    /**
     * A setting and where it was found.
     *
     * @param bytes  the limit on direct buffers
     * @param origin {@code "the command line"} or the name of the environment variable
     */
    record Setting(long bytes, String origin) {
    }

    /** The effective {@code -XX:MaxDirectMemorySize} of the process under {@code root}, if set. */
    static Optional<Setting> detect(Path root) {
        Map<String, String> environment = readEnvironment(root.resolve("proc/self/environ"));
        Setting setting = null;
        setting = lastIn(tokenize(environment.get("JAVA_TOOL_OPTIONS")), "JAVA_TOOL_OPTIONS", setting);
        setting = lastIn(tokenize(environment.get("JDK_JAVA_OPTIONS")), "JDK_JAVA_OPTIONS", setting);
        setting = lastIn(launcherOptions(root.resolve("proc/self/cmdline")), "the command line", setting);
        setting = lastIn(tokenize(environment.get("_JAVA_OPTIONS")), "_JAVA_OPTIONS", setting);
        return Optional.ofNullable(setting);
    }

    private static Setting lastIn(List<String> options, String origin, Setting earlier) {
        Setting setting = earlier;
        for (String option : options) {
            if (!option.startsWith(OPTION)) {
                continue;
            }
            String value = option.substring(OPTION.length());
            OptionalLong bytes = parseSize(value);
            if (bytes.isPresent()) {
                setting = new Setting(bytes.getAsLong(), origin);
            } else {
                // The JVM refuses to start with such a value, so this is not the JVM's own setting.
                ProcFiles.warnOnce(LOG, "cannot parse \"" + option + "\" in " + origin + "; ignored");
            }
        }
        return setting;
    }

    /**
     * A size as HotSpot reads it: decimal or {@code 0x} hexadecimal digits and an optional
     * {@code k}, {@code m}, {@code g} or {@code t} (either case) for KiB, MiB, GiB, TiB; empty if
     * malformed or beyond {@link Long#MAX_VALUE}.
     */
    static OptionalLong parseSize(String value) {
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        int shift = 0;
        String digits = value;
        switch (value.charAt(value.length() - 1)) {
            case 'k', 'K' -> shift = 10;
            case 'm', 'M' -> shift = 20;
            case 'g', 'G' -> shift = 30;
            case 't', 'T' -> shift = 40;
            default -> shift = 0;
        }
        if (shift > 0) {
            digits = value.substring(0, value.length() - 1);
        }
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        }
        // Long.parseLong would also take a sign, which HotSpot does not.
        if (digits.isEmpty() || Character.digit(digits.charAt(0), radix) < 0) {
            return OptionalLong.empty();
        }
        try {
            long number = Long.parseLong(digits, radix);
            if (number > (Long.MAX_VALUE >> shift)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(number << shift);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The JVM options of the launcher's command line: the arguments before the main class or jar. */
    private static List<String> launcherOptions(Path cmdline) {
        List<String> args;
        try {
            args = ProcFiles.readNulSeparated(cmdline);
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; -XX:MaxDirectMemorySize on the command line is not seen", cmdline);
            return List.of();
        } catch (IOException | SecurityException e) {
            ProcFiles.warnOnce(LOG, "cannot read " + cmdline + " (" + e
                    + "); -XX:MaxDirectMemorySize on the command line is not seen");
            return List.of();
        }
        List<String> options = new ArrayList<>();
        // Argument 0 is the launcher itself.
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-jar") || arg.equals("-m") || arg.equals("--module") || arg.startsWith("--module=")
                    || !arg.startsWith("-")) {
                // What follows belongs to the application, whatever it looks like.
                break;
            }
            options.add(arg);
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            }
        }
        return options;
    }

    private static Map<String, String> readEnvironment(Path environ) {
        Map<String, String> environment = new HashMap<>();
        try {
            for (String entry : ProcFiles.readNulSeparated(environ)) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    environment.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist; -XX:MaxDirectMemorySize in option variables is not seen", environ);
        } catch (IOException | SecurityException e) {
            ProcFiles.warnOnce(LOG, "cannot read " + environ + " (" + e
                    + "); -XX:MaxDirectMemorySize in option variables is not seen");
        }
        return environment;
    }

    /**
     * The options in an option variable, split at white space outside quotes as HotSpot does;
     * quotes group and are dropped.
     */
    static List<String> tokenize(String variable) {
        List<String> tokens = new ArrayList<>();
        if (variable == null) {
            return tokens;
        }
        StringBuilder token = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < variable.length(); i++) {
            char c = variable.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    token.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(token.toString());
                    token.setLength(0);
                    inToken = false;
                }
            } else {
                token.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
