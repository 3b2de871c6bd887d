package org.jrcmgr.checks;

import static org.jrcmgr.checks.Jar.API;
import static org.jrcmgr.checks.Jar.CHRONICLE_BYTES;
import static org.jrcmgr.checks.Jar.CHRONICLE_CORE;
import static org.jrcmgr.checks.Jar.EXAMPLE_APP;
import static org.jrcmgr.checks.Jar.EXAMPLE_LIMITS;
import static org.jrcmgr.checks.Jar.EXAMPLE_OFFHEAP;
import static org.jrcmgr.checks.Jar.EXAMPLE_PROVIDER;
import static org.jrcmgr.checks.Jar.IMPL;
import static org.jrcmgr.checks.Jar.JACKSON_ANNOTATIONS;
import static org.jrcmgr.checks.Jar.JACKSON_CORE;
import static org.jrcmgr.checks.Jar.JACKSON_DATABIND;
import static org.jrcmgr.checks.Jar.OFFHEAP;
import static org.jrcmgr.checks.Jar.SLF4J_API;
import static org.jrcmgr.checks.Jar.SLF4J_SIMPLE;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jrcmgr.checks.Run.Jdk;

/** Every documented launch of an example. */
final class Runs {

    /** What chronicle-bytes needs on the module path, where it is the automatic module {@code chronicle.core}. */
    static final List<String> CHRONICLE_MODULE_PATH_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.ref=chronicle.core",
            "--add-exports=java.base/sun.nio.ch=chronicle.core",
            "--add-opens=java.base/java.lang.reflect=chronicle.core");

    /** What chronicle-bytes needs on the class path. */
    static final List<String> CHRONICLE_CLASS_PATH_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED");

    /** JDK 24 and later: sun.misc.Unsafe's memory access, which chronicle uses, allowed without a warning. */
    static final String UNSAFE_ALLOW = "--sun-misc-unsafe-memory-access=allow";

    private static final String APP_MAIN = "org.jrcmgr.example.app.Main";
    private static final String APP_MODULE = "org.jrcmgr.example.app/" + APP_MAIN;
    private static final String OFFHEAP_MAIN = "org.jrcmgr.example.offheap.Main";
    private static final String OFFHEAP_MODULE = "org.jrcmgr.example.offheap/" + OFFHEAP_MAIN;
    private static final String LIMITS_MODULE = "org.jrcmgr.example.limits/org.jrcmgr.example.limits.Main";

    /** What the default implementation needs at run time, with SLF4J's simple binding. */
    private static final List<Jar> IMPL_RUNTIME = List.of(API, IMPL, SLF4J_API, SLF4J_SIMPLE, JACKSON_DATABIND,
            JACKSON_CORE, JACKSON_ANNOTATIONS);

    static final List<Run> ALL = List.of(
            // The application finds the default implementation by service binding.
            run("app-module-path", Jdk.ANY, "mods", jars(EXAMPLE_APP), false,
                    List.of("--module-path", "mods", "--module", APP_MODULE), 0),
            run("app-class-path", Jdk.ANY, "lib", jars(EXAMPLE_APP), false,
                    List.of("-cp", "lib/*", APP_MAIN), 0),
            // A module missing from the module path: the JVM refuses to start, naming it (on standard output).
            new Run("app-without-jackson-annotations", Jdk.ANY, "mods",
                    jars(EXAMPLE_APP).stream().filter(j -> j != JACKSON_ANNOTATIONS).toList(), false, List.of(),
                    List.of("--module-path", "mods", "--module", APP_MODULE), 1, "app-without-jackson-annotations", true),
            // A provider of higher priority next to the default one.
            run("provider-by-priority", Jdk.ANY, "mods", jars(EXAMPLE_APP, EXAMPLE_PROVIDER), false,
                    List.of("--module-path", "mods", "--module", APP_MODULE), 0),
            run("provider-by-property", Jdk.ANY, "mods", jars(EXAMPLE_APP, EXAMPLE_PROVIDER), false,
                    List.of("-Dorg.jrcmgr.provider=jrcmgr-default", "--module-path", "mods", "--module", APP_MODULE), 0),
            run("provider-class-path", Jdk.ANY, "lib", jars(EXAMPLE_APP, EXAMPLE_PROVIDER), false,
                    List.of("-cp", "lib/*", APP_MAIN), 0),
            // Two providers of the same, highest priority and no property: no choice, a clear failure.
            run("provider-tie", Jdk.ANY, "mods", jars(EXAMPLE_APP, EXAMPLE_PROVIDER), true,
                    List.of("--module-path", "mods", "--module", APP_MODULE), 2),
            run("provider-tie-resolved", Jdk.ANY, "mods", jars(EXAMPLE_APP, EXAMPLE_PROVIDER), true,
                    List.of("-Dorg.jrcmgr.provider=counting", "--module-path", "mods", "--module", APP_MODULE), 0),
            // Off-heap buffers: chronicle-bytes' automatic modules need three flags, and on JDK 24+ a fourth.
            new Run("offheap-module-path", Jdk.BEFORE_24, "mods", offHeapJars(), false, List.of(),
                    concat(CHRONICLE_MODULE_PATH_FLAGS, List.of("--module-path", "mods", "--module", OFFHEAP_MODULE)),
                    0, "offheap", true),
            new Run("offheap-class-path", Jdk.BEFORE_24, "lib", offHeapJars(), false, List.of(),
                    concat(CHRONICLE_CLASS_PATH_FLAGS, List.of("-cp", "lib/*", OFFHEAP_MAIN)),
                    0, "offheap-class-path", true),
            new Run("offheap-jdk25-module-path", Jdk.TEMURIN_25, "mods", offHeapJars(), false, List.of(),
                    concat(CHRONICLE_MODULE_PATH_FLAGS, List.of(UNSAFE_ALLOW, "--module-path", "mods", "--module",
                            OFFHEAP_MODULE)),
                    0, "offheap", true),
            new Run("offheap-jdk25-class-path", Jdk.TEMURIN_25, "lib", offHeapJars(), false, List.of(),
                    concat(CHRONICLE_CLASS_PATH_FLAGS, List.of(UNSAFE_ALLOW, "-cp", "lib/*", OFFHEAP_MAIN)),
                    0, "offheap-class-path", true),
            // The same without the flags: it works, but chronicle complains, which the checks must see.
            new Run("offheap-without-flags", Jdk.BEFORE_24, "mods", offHeapJars(), false, List.of(),
                    List.of("--module-path", "mods", "--module", OFFHEAP_MODULE), 0, "offheap", false),
            new Run("offheap-jdk25-without-unsafe-flag", Jdk.TEMURIN_25, "mods", offHeapJars(), false, List.of(),
                    concat(CHRONICLE_MODULE_PATH_FLAGS, List.of("--module-path", "mods", "--module", OFFHEAP_MODULE)),
                    0, "offheap", false),
            // Limits configured in code: this application requires org.jrcmgr.impl.
            new Run("limits", Jdk.ANY, "mods", jars(EXAMPLE_LIMITS), false, List.of("example-limits/go-limits.json"),
                    List.of("--module-path", "mods", "--module", LIMITS_MODULE, "go-limits.json"), 0, "limits", true));

    private Runs() {
    }

    /** The run called {@code name}. */
    static Run named(String name) {
        return ALL.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no run is called " + name + "; runs: " + ALL));
    }

    static Stream<Run> all() {
        return ALL.stream();
    }

    private static Run run(String name, Jdk jdk, String dir, List<Jar> jars, boolean rival, List<String> args,
                           int exitCode) {
        return new Run(name, jdk, dir, jars, rival, List.of(), args, exitCode, name, true);
    }

    /** The default implementation's run-time jars and {@code more}. */
    private static List<Jar> jars(Jar... more) {
        return concat(IMPL_RUNTIME, List.of(more));
    }

    private static List<Jar> offHeapJars() {
        return jars(OFFHEAP, CHRONICLE_BYTES, CHRONICLE_CORE, EXAMPLE_OFFHEAP);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
