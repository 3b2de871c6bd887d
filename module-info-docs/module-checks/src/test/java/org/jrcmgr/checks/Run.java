package org.jrcmgr.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One documented launch of an example: the directory the jars are put in, the command, what it
 * must print. {@link ExamplesIT} runs it in a fresh JVM exactly as {@link #render()} shows it, and
 * {@link DocsTest} checks that the documentation shows it exactly so.
 *
 * @param name     the run's name, used by the documentation's markers and for the expected output
 *                 ({@code expected/NAME.txt}, and {@code expected/NAME.stderr.txt} when it exists)
 * @param jdk      which JDK runs it
 * @param dir      the directory (relative to the run's working directory) holding the jars
 * @param jars     the jars, each copied there as {@code artifactId.jar}
 * @param rival    whether the rival provider's jar (built by the test) is there too
 * @param files    files of {@code module-info-docs/} copied to the working directory
 * @param args     the command after {@code java}
 * @param exitCode the expected exit status
 * @param golden   the name of the expected standard output ({@code expected/GOLDEN.txt})
 * @param quiet    whether standard error must be free of warnings and errors other than jrcmgr's own
 *                 log lines and the lines of {@code expected/NAME.stderr.txt}; when false, it must
 *                 have some (the runs that show what happens without a flag)
 */
record Run(String name, Jdk jdk, String dir, List<Jar> jars, boolean rival, List<String> files, List<String> args,
           int exitCode, String golden, boolean quiet) {

    /** The JDK a run needs. */
    enum Jdk {
        /** The JDK running the build, whatever its release. */
        ANY,
        /** The JDK running the build, when it is a release before 24 (JDK 17 is the one the build needs). */
        BEFORE_24,
        /** Temurin 25 at {@link #TEMURIN_25}, when installed. */
        TEMURIN_25;

        /** Where CI's second JDK is installed. */
        static final String TEMURIN_25_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";
    }

    /** The file name of the provider that ties with the example provider, built by {@link ExamplesIT}. */
    static final String RIVAL_JAR = "jrcmgr-example-rival.jar";

    /** Options that take the next argument as their value, so a rendered line keeps the two together. */
    private static final Set<String> WITH_VALUE = Set.of("--module-path", "-p", "--module", "-m", "-cp",
            "-classpath", "--class-path", "--add-modules");

    /** Commands up to this long are rendered on one line. */
    private static final int ONE_LINE = 100;

    Run {
        Objects.requireNonNull(name, "name");
        jars = List.copyOf(jars);
        files = List.copyOf(files);
        args = List.copyOf(args);
    }

    /** The file names in {@link #dir()}, sorted as {@code ls} sorts them. */
    List<String> fileNames() {
        List<String> names = new ArrayList<>();
        for (Jar jar : jars) {
            names.add(jar.fileName());
        }
        if (rival) {
            names.add(RIVAL_JAR);
        }
        names.sort(null);
        return names;
    }

    /** {@code dir/file} per line, as the documentation lists a run's jars. */
    String renderLayout() {
        StringBuilder b = new StringBuilder();
        for (String file : fileNames()) {
            b.append(dir).append('/').append(file).append('\n');
        }
        return b.toString();
    }

    /**
     * The command as the documentation shows it: one line when short, else the JVM options one per
     * line and the launch ({@code --module-path ... --module ...} or {@code -cp ... main}) last,
     * continued with backslashes. Arguments with shell metacharacters are single-quoted.
     */
    String render() {
        List<String> groups = new ArrayList<>();
        int launch = -1;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--module-path") || arg.equals("-p") || arg.equals("-cp") || arg.equals("-classpath")
                    || arg.equals("--class-path")) {
                launch = i;
                break;
            }
            if (WITH_VALUE.contains(arg) && i + 1 < args.size()) {
                groups.add(quote(arg) + " " + quote(args.get(++i)));
            } else {
                groups.add(quote(arg));
            }
        }
        if (launch >= 0) {
            List<String> rest = new ArrayList<>();
            for (String arg : args.subList(launch, args.size())) {
                rest.add(quote(arg));
            }
            groups.add(String.join(" ", rest));
        }
        String oneLine = "java " + String.join(" ", groups);
        if (oneLine.length() <= ONE_LINE) {
            return oneLine + "\n";
        }
        return "java " + String.join(" \\\n     ", groups) + "\n";
    }

    /** The JVM options, one per line: what the documentation lists as the flags a run needs. */
    String renderFlags() {
        StringBuilder b = new StringBuilder();
        for (String arg : args) {
            if (WITH_VALUE.contains(arg)) {
                break;
            }
            b.append(arg).append('\n');
        }
        return b.toString();
    }

    private static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_./=:,@%+-]+") ? arg : "'" + arg + "'";
    }

    @Override
    public String toString() {
        return name;
    }
}
