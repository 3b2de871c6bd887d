package org.jrcmgr.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code block of the documentation is taken from something the build compiles or runs, so
 * the documentation cannot drift from the code. A fenced block is preceded by a marker saying
 * where it comes from:
 * <ul>
 *   <li>{@code <!-- snippet: NAME -->}: the region between {@code tag::NAME[]} and {@code end::NAME[]}
 *       in a source of this module's examples (Java, or a POM), dedented;</li>
 *   <li>{@code <!-- file: PATH -->}: the whole file at {@code PATH}, relative to {@code module-info-docs/};</li>
 *   <li>{@code <!-- output: NAME -->}: consecutive whole lines of {@code expected/NAME.txt}, an output
 *       that {@link ExamplesIT} checks a run against;</li>
 *   <li>{@code <!-- command: RUN -->}, {@code <!-- layout: RUN -->}, {@code <!-- flags: RUN -->}: the
 *       command, the jars and the JVM options of a {@link Run} exactly as {@link ExamplesIT} uses them.</li>
 * </ul>
 * Java, shell and XML blocks must have a marker; text blocks (diagrams) may go without. Relative
 * links must lead to files that exist, and every run must be shown.
 */
class DocsTest {

    /** {@code module-info-docs/}, seen from this module. */
    private static final Path ROOT = Path.of("..");

    private static final Pattern MARKER = Pattern.compile("^<!-- (snippet|file|output|command|layout|flags): (\\S+) -->$");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Set<String> MUST_BE_MARKED = Set.of("java", "sh", "shell", "bash", "xml", "json");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** A fenced block of a Markdown file: its marker (or null), language and text. */
    record Block(Path file, int line, String kind, String argument, String language, String text) {
        @Override
        public String toString() {
            return ROOT.relativize(file) + ":" + line + (kind == null ? "" : " (" + kind + ": " + argument + ")");
        }
    }

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            assertTrue(i < lines.size(), () -> file + ":" + (start + 1) + ": the code block is not closed");
            int before = start - 1;
            while (before >= 0 && lines.get(before).isBlank()) {
                before--;
            }
            Matcher marker = before >= 0 ? MARKER.matcher(lines.get(before).strip()) : null;
            boolean marked = marker != null && marker.matches();
            blocks.add(new Block(file, start + 1, marked ? marker.group(1) : null, marked ? marker.group(2) : null,
                    open.group(1), text.toString()));
        }
        return blocks;
    }

    @Test
    void everyCodeBlockIsTakenFromTheBuild() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            for (Block block : blocks(doc)) {
                if (block.kind() == null) {
                    if (MUST_BE_MARKED.contains(block.language()) && !isMavenCommand(block)) {
                        failures.add(block + ": a " + block.language() + " block without a marker saying where it is taken from");
                    }
                    continue;
                }
                checked++;
                String problem = check(block);
                if (problem != null) {
                    failures.add(block + ": " + problem);
                }
            }
        }
        assertEquals(List.of(), failures, () -> String.join("\n\n", failures));
        assertTrue(checked > 20, "the documentation shows " + checked + " checked blocks");
    }

    /** Build commands, which the build cannot run on itself: shell blocks of {@code mvn} lines only. */
    private static boolean isMavenCommand(Block block) {
        return block.language().equals("sh") && block.text().lines().allMatch(l -> l.startsWith("mvn "));
    }

    private static String check(Block block) throws IOException {
        String arg = block.argument();
        String expected;
        switch (block.kind()) {
            case "snippet":
                expected = taggedRegion(arg);
                break;
            case "file":
                Path file = ROOT.resolve(arg).normalize();
                if (!Files.isRegularFile(file)) {
                    return "no file " + file;
                }
                expected = Files.readString(file).replace("\r\n", "\n");
                break;
            case "output":
                String output = Expected.named(arg).orElse(null);
                if (output == null) {
                    return "no expected output " + Expected.DIR.resolve(arg + ".txt");
                }
                return ("\n" + output).contains("\n" + block.text()) ? null
                        : "not consecutive whole lines of " + Expected.DIR.resolve(arg + ".txt") + ":\n" + block.text();
            case "command":
                expected = Runs.named(arg).render();
                break;
            case "layout":
                expected = Runs.named(arg).renderLayout();
                break;
            case "flags":
                expected = Runs.named(arg).renderFlags();
                break;
            default:
                return "unknown marker " + block.kind();
        }
        return expected.equals(block.text()) ? null : "differs from its source; expected:\n" + expected + "\nbut the document has:\n" + block.text();
    }

    /** The region tagged {@code name} in exactly one source of the examples, dedented to its first line. */
    static String taggedRegion(String name) throws IOException {
        Pattern start = Pattern.compile("(//|<!--)\\s*tag::" + Pattern.quote(name) + "\\[\\]");
        Pattern end = Pattern.compile("(//|<!--)\\s*end::" + Pattern.quote(name) + "\\[\\]");
        List<String> found = new ArrayList<>();
        String region = null;
        for (Path source : sources()) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (!start.matcher(lines.get(i)).find()) {
                    continue;
                }
                found.add(source.toString());
                int j = i + 1;
                while (j < lines.size() && !end.matcher(lines.get(j)).find()) {
                    j++;
                }
                if (j == lines.size()) {
                    throw new AssertionError(source + ": tag::" + name + "[] has no end");
                }
                List<String> body = lines.subList(i + 1, j);
                int indent = body.isEmpty() ? 0 : body.get(0).length() - body.get(0).stripLeading().length();
                StringBuilder b = new StringBuilder();
                for (String line : body) {
                    b.append(line.length() >= indent && line.substring(0, indent).isBlank()
                            ? line.substring(indent) : line.strip()).append('\n');
                }
                region = b.toString();
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("the tag " + name + " must be in exactly one source, it is in " + found);
        }
        return region;
    }

    /** The examples' sources and POMs, and this module's tests. */
    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> !f.toString().contains("/target/"))
                    .filter(f -> f.toString().endsWith(".java") || f.getFileName().toString().equals("pom.xml"))
                    .sorted().toList();
        }
    }

    @Test
    void everyRunIsShownWithItsCommand() throws IOException {
        Set<String> shown = new HashSet<>();
        for (Path doc : documents()) {
            for (Block block : blocks(doc)) {
                if ("command".equals(block.kind())) {
                    shown.add(block.argument());
                }
            }
        }
        List<String> missing = Runs.all().map(Run::name).filter(n -> !shown.contains(n)).toList();
        assertEquals(List.of(), missing, "runs whose command the documentation does not show");
    }

    @Test
    void relativeLinksLeadToFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue;
                }
                Path file = doc.getParent().resolve(target.replaceFirst("#.*", "")).normalize();
                if (!Files.exists(file)) {
                    broken.add(ROOT.relativize(doc) + ": " + target);
                }
            }
        }
        assertEquals(List.of(), broken, "links to files that do not exist");
    }

    @Test
    void theMainReadmeLinksToTheseDocs() throws IOException {
        String readme = Files.readString(ROOT.resolve("../README.md"));
        assertTrue(readme.contains("](module-info-docs/"), "the project README links to module-info-docs/");
    }

    @Test
    void markersAreWellFormed() throws IOException {
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc);
            boolean inBlock = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (lines.get(i).startsWith("```")) {
                    inBlock = !inBlock;
                }
                if (!inBlock && line.startsWith("<!-- ") && line.contains(":")) {
                    int at = i + 1;
                    assertTrue(MARKER.matcher(line).matches(), () -> doc + ":" + at + ": malformed marker " + line);
                }
            }
        }
        assertFalse(documents().isEmpty());
    }
}
