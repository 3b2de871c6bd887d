package org.jrcmgr.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README marked {@code <!-- snippet: NAME -->} must be, word for word, the
 * region tagged {@code // tag::NAME[]} in a test source of some module: the build compiles and
 * runs those sources, so the README cannot show code that does not work.
 */
class ReadmeSnippetsTest {

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([a-z0-9-]+) -->\\s*```java\\n(.*?)```",
            Pattern.DOTALL);

    @Test
    void everyMarkedReadmeBlockIsCompiledCode() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        Matcher m = MARKER.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            assertEquals(taggedRegion(name), m.group(2), "README snippet '" + name + "' differs from its source");
            checked.add(name);
        }
        assertFalse(checked.isEmpty(), "the README marks no snippet");
        assertTrue(checked.contains("quickstart"), () -> "checked " + checked);
    }

    /** The tagged region, dedented to its first line's indentation. */
    static String taggedRegion(String name) throws IOException {
        String start = "// tag::" + name + "[]";
        String end = "// end::" + name + "[]";
        List<Path> sources;
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            sources = modules.map(module -> module.resolve("src/test/java")).filter(Files::isDirectory)
                    .flatMap(ReadmeSnippetsTest::javaFiles).toList();
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            int from = text.indexOf(start);
            if (from < 0) {
                continue;
            }
            from = text.indexOf('\n', from) + 1;
            int to = text.lastIndexOf('\n', text.indexOf(end, from)) + 1;
            List<String> lines = text.substring(from, to).lines().toList();
            int indent = lines.get(0).length() - lines.get(0).stripLeading().length();
            StringBuilder b = new StringBuilder();
            for (String line : lines) {
                b.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
            }
            return b.toString();
        }
        throw new AssertionError("no test source has a region tagged " + name);
    }

    private static Stream<Path> javaFiles(Path root) {
        try {
            return Files.walk(root).filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
