package org.jrcmgr.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The expected outputs, checked in under {@code src/test/resources/expected}: {@code NAME.txt} is
 * a run's whole standard output, {@code NAME.stderr.txt} lines its standard error must contain.
 */
final class Expected {

    /** Where the expected outputs are, relative to this module (the tests' working directory). */
    static final Path DIR = Path.of("src/test/resources/expected");

    private Expected() {
    }

    /** The expected standard output of a run whose golden is {@code golden}. */
    static String stdout(String golden) {
        return read(DIR.resolve(golden + ".txt"))
                .orElseThrow(() -> new AssertionError("no expected output " + DIR.resolve(golden + ".txt")));
    }

    /** Lines a run's standard error must contain, if it has such a file. */
    static Optional<String> stderr(String name) {
        return read(DIR.resolve(name + ".stderr.txt"));
    }

    /** The expected output called {@code name} ({@code NAME.txt}), as the documentation refers to it. */
    static Optional<String> named(String name) {
        return read(DIR.resolve(name + ".txt"));
    }

    private static Optional<String> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file).replace("\r\n", "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
