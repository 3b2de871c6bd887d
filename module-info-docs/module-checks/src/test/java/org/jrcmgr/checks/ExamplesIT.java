package org.jrcmgr.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every example of {@link Runs} in a fresh JVM, exactly as the documentation shows it: the
 * jars copied into {@code mods/} or {@code lib/} of a working directory of its own under
 * {@code target/runs/NAME}, then {@code java} with the documented arguments. Its standard output
 * must equal the expected one, and its standard error must be free of warnings and errors (or, for
 * the runs without the flags, must have them). Both are kept in the working directory.
 *
 * <p>A broken module descriptor, a missing {@code provides} or {@code META-INF/services} entry, or a
 * JVM flag too few fails here.
 */
class ExamplesIT {

    /** jrcmgr's own log lines (slf4j-simple's format): the leak warnings and refusal summaries are expected. */
    private static final Pattern OWN_LOG = Pattern.compile("^\\[[^\\]]+\\] (INFO|WARN) org\\.jrcmgr\\.");

    private static final long TIMEOUT_SECONDS = 120;

    private static Path rivalJar;

    static Stream<Run> runs() {
        return Runs.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void runsAsDocumented(Run run) throws Exception {
        Path java = java(run.jdk());
        Path work = buildDir().resolve("runs").resolve(run.name());
        deleteRecursively(work);
        Path dir = Files.createDirectories(work.resolve(run.dir()));
        for (Jar jar : run.jars()) {
            Files.copy(jar.path(), dir.resolve(jar.fileName()));
        }
        if (run.rival()) {
            Files.copy(rivalJar(), dir.resolve(Run.RIVAL_JAR));
        }
        for (String file : run.files()) {
            Path source = Path.of("..").resolve(file);
            Files.copy(source, work.resolve(source.getFileName()));
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(run.args());
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        // Options from the environment would change what the JVM prints.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(run + " did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        String out = Files.readString(stdout).replace("\r\n", "\n");
        String err = Files.readString(stderr).replace("\r\n", "\n");
        String context = run + " (" + String.join(" ", command) + ", in " + work + "); standard error:\n" + err;

        assertEquals(run.exitCode(), process.exitValue(), () -> "exit status of " + context);
        assertEquals(Expected.stdout(run.golden()), out, () -> "standard output of " + run + " (kept in " + stdout
                + ") differs from " + Expected.DIR.resolve(run.golden() + ".txt") + "; " + context);
        List<String> expectedErr = Expected.stderr(run.name()).map(e -> e.lines().toList()).orElse(List.of());
        List<String> lines = err.lines().toList();
        for (String line : expectedErr) {
            assertTrue(lines.contains(line), () -> "standard error of " + run + " lacks the line\n" + line
                    + "\n(" + Expected.DIR.resolve(run.name() + ".stderr.txt") + "); " + context);
        }
        List<String> complaints = complaints(err);
        if (run.quiet()) {
            // Warnings and errors the documentation shows (expected/NAME.stderr.txt) are expected.
            List<String> unexpected = complaints.stream().filter(c -> !expectedErr.contains(c)).toList();
            assertEquals(List.of(), unexpected, () -> "warnings or errors on standard error of " + context);
        } else {
            assertFalse(complaints.isEmpty(), () -> "expected warnings from " + context);
        }
    }

    /**
     * Lines of standard error that warn or report an error, other than jrcmgr's own log lines; SLF4J's
     * own warnings ({@code SLF4J(W)}, no binding) count.
     */
    static List<String> complaints(String stderr) {
        return stderr.lines()
                .filter(line -> !OWN_LOG.matcher(line).find())
                .filter(line -> line.contains("WARN") || line.contains("ERROR") || line.contains("Exception")
                        || line.contains("SLF4J("))
                .toList();
    }

    private static Path java(Run.Jdk jdk) {
        switch (jdk) {
            case ANY:
                return Path.of(System.getProperty("java.home"), "bin", "java");
            case BEFORE_24:
                assumeTrue(Runtime.version().feature() < 24, "this run is for JDKs before 24; the build runs on "
                        + Runtime.version() + " (the JDK 25 runs cover it)");
                return Path.of(System.getProperty("java.home"), "bin", "java");
            case TEMURIN_25:
                Path java = Path.of(Run.Jdk.TEMURIN_25_HOME, "bin", "java");
                assumeTrue(Files.isExecutable(java), Run.Jdk.TEMURIN_25_HOME + " is not installed");
                return java;
            default:
                throw new AssertionError(jdk);
        }
    }

    /**
     * The rival provider, compiled against the API jar and packaged with the JDK's own javac and jar,
     * once per test JVM.
     */
    private static synchronized Path rivalJar() throws IOException {
        if (rivalJar != null) {
            return rivalJar;
        }
        Path sources = Path.of("src/test/rival");
        Path out = buildDir().resolve("rival");
        deleteRecursively(out);
        Path classes = Files.createDirectories(out.resolve("classes"));
        List<String> javac = new ArrayList<>(List.of("--release", "17", "-Xlint:all,-path", "-Werror",
                "--module-path", Jar.API.path().toString(), "-d", classes.toString()));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(javac::add);
        }
        tool("javac", javac);
        Path jar = out.resolve(Run.RIVAL_JAR);
        tool("jar", List.of("--create", "--file", jar.toString(), "-C", classes.toString(), "."));
        rivalJar = jar;
        return jar;
    }

    /** Runs a JDK tool in this JVM; its output, if it fails. */
    static String tool(String name, List<String> args) {
        ToolProvider tool = ToolProvider.findFirst(name).orElseThrow(() -> new AssertionError("no " + name + " tool"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = tool.run(out, out, args.toArray(String[]::new));
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, () -> name + " " + String.join(" ", args) + " failed:\n" + output);
        return output;
    }

    static Path buildDir() {
        return Path.of(System.getProperty("jrcmgr.checks.buildDir", "target"));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
