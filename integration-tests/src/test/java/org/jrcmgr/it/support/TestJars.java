package org.jrcmgr.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Packs compiled test classes into a jar at test time, so a fixture ships to a container the way
 * the node's jar will, without a Maven packaging step of its own.
 */
public final class TestJars {

    private TestJars() {
    }

    /**
     * Writes a jar holding each class and its nested classes, read from the class directory the
     * class was loaded from, with {@code mainClass} as its Main-Class.
     *
     * @param jar the jar to write (replaced if it exists)
     * @param mainClass the class the jar runs
     * @param more further classes the jar needs
     * @return {@code jar}
     * @throws IOException if a class file cannot be read or the jar written
     */
    public static Path jarOf(Path jar, Class<?> mainClass, Class<?>... more) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : Stream.concat(Stream.of(mainClass), Stream.of(more)).distinct().collect(Collectors.toList())) {
                for (Path classFile : classFiles(type)) {
                    String entry = type.getPackageName().replace('.', '/') + "/" + classFile.getFileName();
                    out.putNextEntry(new JarEntry(entry));
                    Files.copy(classFile, out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    private static List<Path> classFiles(Class<?> type) throws IOException {
        Path root;
        try {
            root = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the classes of " + type.getName(), e);
        }
        if (!Files.isDirectory(root)) {
            throw new IOException(type.getName() + " was not loaded from a class directory: " + root);
        }
        Path dir = root.resolve(type.getPackageName().replace('.', '/'));
        String simple = type.getSimpleName();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.equals(simple + ".class") || (n.startsWith(simple + "$") && n.endsWith(".class"));
            }).sorted().collect(Collectors.toList());
        }
    }
}
