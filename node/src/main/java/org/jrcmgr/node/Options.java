package org.jrcmgr.node;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options: {@code --name value}, {@code --name=value}, and bare flags; a name may be
 * given more than once, and list values may also be comma-separated.
 */
final class Options {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Options() {
    }

    /**
     * Parses {@code args} against the known options ({@code flags} take no value).
     *
     * @throws IllegalArgumentException for an unknown option or a missing value
     */
    static Options parse(String[] args, int from, Set<String> withValue, Set<String> flags) {
        Options o = new Options();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                o.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                o.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return o;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    /** Every value of a repeatable, comma-separated option. */
    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    int integer(String name, int fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    Duration duration(String name, Duration fallback) {
        String v = get(name, null);
        return v == null ? fallback : parseDuration(name, v);
    }

    long bytes(String name, long fallback) {
        String v = get(name, null);
        return v == null ? fallback : parseBytes(name, v);
    }

    /** {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT10S}). */
    static Duration parseDuration(String name, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            }
            if (s.endsWith("h")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 3_600_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration such as 10s or 500ms, got '" + v + "'");
        }
    }

    /** {@code 4096}, {@code 64k}, {@code 1m}, {@code 1g} (binary units). */
    static long parseBytes(String name, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("i")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (s.endsWith("k")) {
            unit = 1L << 10;
        } else if (s.endsWith("m")) {
            unit = 1L << 20;
        } else if (s.endsWith("g")) {
            unit = 1L << 30;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            double n = Double.parseDouble(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.round(n * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a size such as 4096, 64k or 1m, got '" + v + "'");
        }
    }
}
