package org.jrcmgr.it.support;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * A Docker image {@code FROM scratch} that runs one Java main class: a {@code jlink}-made runtime
 * of the JDK running the tests, the few host shared libraries that runtime needs, and an
 * application class path of jars or class directories.
 *
 * <p>No registry is reachable on these machines, so no base image can be pulled; this image needs
 * none. Use it as the image of a {@link org.testcontainers.containers.GenericContainer}:
 *
 * <pre>{@code
 * ScratchJavaImage node = ScratchJavaImage.builder("node")
 *         .classpath(nodeJar)                      // jars and/or class directories
 *         .mainClass("org.jrcmgr.node.Main")
 *         .jvmArgs(ScratchJavaImage.chronicleJvmFlags())
 *         .build();
 * try (Network net = Network.newNetwork();
 *      GenericContainer<?> target = new GenericContainer<>(node.image())
 *              .withNetwork(net).withNetworkAliases("target")
 *              .withCommand("serve", "--port", "4001")        // the main class's arguments
 *              .withExposedPorts(4001)
 *              .waitingFor(Wait.forLogMessage(".*listening.*\\n", 1))) {
 *     target.start();
 * }
 * }</pre>
 *
 * <p>What is built once and shared: the jlink runtime plus libraries is cached on disk under the
 * module's {@code target/scratch-java/} (keyed by the JDK and the module list, so it survives
 * between runs until {@code mvn clean}); each image is built at most once per test JVM (keyed by
 * its content) and removed when that JVM exits. Images whose runtime is the same share Docker's
 * cached runtime layer, so a second image costs only its application layer.
 *
 * <p>Inside the image: the runtime is {@code /opt/java}, the class path entries are under
 * {@code /app}, {@code /tmp} exists, and the entry point is {@code java <jvm args> -cp <class
 * path> <main class>}: a container's command is the main class's arguments. Per-container JVM
 * flags go in the {@code JAVA_TOOL_OPTIONS} environment variable. There is no shell: nothing can be
 * exec'd in the container, and {@code Wait.forListeningPort()} still works (its external check) but
 * logs a warning that its internal {@code /bin/sh} check failed, so prefer waiting on a log line the
 * program prints once it listens ({@code Wait.forLogMessage}).
 */
public final class ScratchJavaImage {

    /**
     * Modules of the runtime unless the builder says otherwise: what the node needs (Netty and
     * chronicle-bytes need {@code jdk.unsupported}; chronicle-core references {@code
     * java.management} and {@code java.naming}; the control endpoint is {@code jdk.httpserver})
     * plus TLS curves, the HTTP client and JFR for diagnosing a storm.
     */
    public static final List<String> DEFAULT_MODULES = List.of(
            "java.base", "java.logging", "jdk.unsupported", "java.management", "jdk.httpserver",
            "jdk.crypto.ec", "java.net.http", "jdk.jfr", "java.naming");

    /**
     * JVM flags every image starts with. Serial GC: many small JVMs share two cores, and each
     * parallel collector would start a thread per core. No perf data: nothing reads it, and it
     * would write a memory-mapped file under {@code /tmp} of every container.
     */
    public static final List<String> DEFAULT_JVM_ARGS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData");

    /** Where the runtime is inside the image. */
    public static final String JAVA_HOME_IN_IMAGE = "/opt/java";

    /** Where the class path entries are inside the image. */
    public static final String APP_DIR_IN_IMAGE = "/app";

    /** System property (set by Failsafe) naming the module's build directory. */
    public static final String BUILD_DIR_PROPERTY = "jrcmgr.it.buildDir";

    /** System property (set by Failsafe) holding the JVM flags chronicle-bytes needs. */
    public static final String CHRONICLE_FLAGS_PROPERTY = "jrcmgr.it.chronicleJvmFlags";

    private static final List<String> JLINK_OPTIONS = List.of("--strip-debug", "--no-header-files", "--no-man-pages");

    /**
     * glibc 2.34+ folded these into libc, so ldd no longer lists them, but a runtime built
     * elsewhere may still dlopen them by name; they are a few KiB, so they go in when the host
     * has them.
     */
    private static final List<String> EXTRA_HOST_LIBS = List.of("libdl.so.2", "libpthread.so.0", "librt.so.1");

    private static final Pattern LDD_RESOLVED = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    private static final Pattern LDD_ABSOLUTE = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    private static final Pattern LDD_NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found\\s*$");

    private static final long TOOL_TIMEOUT_SECONDS = 120;

    private static final Map<String, Path> ROOTFS_BY_KEY = new ConcurrentHashMap<>();
    private static final Map<String, ImageFromDockerfile> IMAGES_BY_NAME = new ConcurrentHashMap<>();
    private static final Set<String> IMAGES_TO_REMOVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean REMOVAL_HOOK = new AtomicBoolean();

    private final String imageName;
    private final ImageFromDockerfile image;
    private final Path rootfs;

    private ScratchJavaImage(String imageName, ImageFromDockerfile image, Path rootfs) {
        this.imageName = imageName;
        this.image = image;
        this.rootfs = rootfs;
    }

    /**
     * Starts describing an image.
     *
     * @param name a short name for the image (lower case letters, digits, '-'); its content hash
     *     becomes the tag
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The image, built on first use (by the first container that starts with it, or by {@code
     * get()}) and at most once per test JVM. Pass it to {@code new GenericContainer<>(...)}.
     *
     * @return the shared future of the image name
     */
    public ImageFromDockerfile image() {
        return image;
    }

    /**
     * Builds the image now if it is not built yet, and returns its name: lets a test measure or
     * fail on the build separately from container start.
     *
     * @return the image name, {@code jrcmgr-it/NAME:HASH}
     */
    public String resolve() {
        try {
            return image.get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("could not build image " + imageName, e);
        }
    }

    /**
     * The image's name, {@code jrcmgr-it/NAME:HASH}.
     *
     * @return the name
     */
    public String imageName() {
        return imageName;
    }

    /**
     * The host directory laid out as the image's root file system without the application:
     * {@code opt/java} (the runtime), the shared libraries under their loader paths, {@code tmp}.
     *
     * @return the cached directory
     */
    public Path rootfs() {
        return rootfs;
    }

    /**
     * The JVM flags chronicle-bytes needs on the JDK running the tests, as the parent POM computes
     * them (Failsafe passes them in); the runtime in the image is made from that same JDK, so the
     * flags fit it.
     *
     * @return the flags, empty if the property is not set
     */
    public static List<String> chronicleJvmFlags() {
        String flags = System.getProperty(CHRONICLE_FLAGS_PROPERTY, "").trim();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }

    /** Describes a {@link ScratchJavaImage}; {@link #build()} is cheap, the image is built lazily. */
    public static final class Builder {
        private final String name;
        private final List<Path> classpath = new ArrayList<>();
        private final Set<String> modules = new LinkedHashSet<>(DEFAULT_MODULES);
        private final List<String> jvmArgs = new ArrayList<>(DEFAULT_JVM_ARGS);
        private String mainClass;

        private Builder(String name) {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("image name must be lower case letters, digits and '-': " + name);
            }
            this.name = name;
        }

        /**
         * Adds class path entries, in order: jar files or directories of classes.
         *
         * @param entries host paths that exist
         * @return this builder
         */
        public Builder classpath(Path... entries) {
            return classpath(List.of(entries));
        }

        /**
         * Adds class path entries, in order: jar files or directories of classes.
         *
         * @param entries host paths that exist
         * @return this builder
         */
        public Builder classpath(Collection<Path> entries) {
            for (Path entry : entries) {
                Path absolute = entry.toAbsolutePath().normalize();
                if (!Files.exists(absolute)) {
                    throw new IllegalArgumentException("class path entry does not exist: " + absolute);
                }
                classpath.add(absolute);
            }
            return this;
        }

        /**
         * Sets the class whose {@code main} the container runs.
         *
         * @param mainClass a binary class name
         * @return this builder
         */
        public Builder mainClass(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass);
            return this;
        }

        /**
         * Adds modules to the runtime, on top of {@link #DEFAULT_MODULES}.
         *
         * @param names module names of the JDK
         * @return this builder
         */
        public Builder addModules(String... names) {
            modules.addAll(List.of(names));
            return this;
        }

        /**
         * Replaces the runtime's module list (java.base is always in).
         *
         * @param names module names of the JDK
         * @return this builder
         */
        public Builder modules(Collection<String> names) {
            modules.clear();
            modules.add("java.base");
            modules.addAll(names);
            return this;
        }

        /**
         * Adds JVM flags after {@link #DEFAULT_JVM_ARGS}.
         *
         * @param args flags such as {@code -Xmx128m}
         * @return this builder
         */
        public Builder jvmArgs(String... args) {
            return jvmArgs(List.of(args));
        }

        /**
         * Adds JVM flags after {@link #DEFAULT_JVM_ARGS}.
         *
         * @param args flags such as {@code -Xmx128m}
         * @return this builder
         */
        public Builder jvmArgs(Collection<String> args) {
            jvmArgs.addAll(args);
            return this;
        }

        /**
         * Lays out the runtime (jlink and ldd run now if the cache misses) and returns the image,
         * shared with every other builder that described the same content.
         *
         * @return the image; Docker builds it on first use
         */
        public ScratchJavaImage build() {
            if (mainClass == null) {
                throw new IllegalStateException("mainClass is required");
            }
            if (classpath.isEmpty()) {
                throw new IllegalStateException("at least one class path entry is required");
            }
            Path rootfs = runtimeRootfs(modules);
            List<String> imagePaths = new ArrayList<>();
            for (int i = 0; i < classpath.size(); i++) {
                imagePaths.add(i + "-" + classpath.get(i).getFileName());
            }
            List<String> entrypoint = new ArrayList<>();
            entrypoint.add(JAVA_HOME_IN_IMAGE + "/bin/java");
            entrypoint.addAll(jvmArgs);
            entrypoint.add("-cp");
            entrypoint.add(imagePaths.stream().map(p -> APP_DIR_IN_IMAGE + "/" + p).collect(Collectors.joining(":")));
            entrypoint.add(mainClass);
            String dockerfile = "FROM scratch\n"
                    // The runtime layer comes first and is the same for every image on this
                    // runtime, so Docker builds it once and each image adds only its app layer.
                    + "COPY rootfs/ /\n"
                    + "COPY app/ " + APP_DIR_IN_IMAGE + "/\n"
                    + "ENV JAVA_HOME=" + JAVA_HOME_IN_IMAGE + "\n"
                    + "WORKDIR " + APP_DIR_IN_IMAGE + "\n"
                    + "ENTRYPOINT " + entrypoint.stream().map(ScratchJavaImage::jsonString)
                            .collect(Collectors.joining(", ", "[", "]")) + "\n";

            StringBuilder content = new StringBuilder(dockerfile).append(rootfs.getFileName()).append('\n');
            for (Path entry : classpath) {
                content.append(fingerprint(entry));
            }
            String imageName = "jrcmgr-it/" + name + ":" + sha256(content.toString()).substring(0, 16);
            ImageFromDockerfile image = IMAGES_BY_NAME.computeIfAbsent(imageName, n -> {
                removeAtExit(n);
                // deleteOnExit=false: Testcontainers 2.0's JVM-hook reaper (Ryuk is off) prunes
                // only dangling images, so a tagged one would stay; removeAtExit does it instead.
                ImageFromDockerfile built = new ImageFromDockerfile(n, false)
                        .withFileFromString("Dockerfile", dockerfile)
                        .withFileFromPath("rootfs", rootfs);
                for (int i = 0; i < classpath.size(); i++) {
                    built.withFileFromPath("app/" + imagePaths.get(i), classpath.get(i));
                }
                return built;
            });
            return new ScratchJavaImage(imageName, image, rootfs);
        }
    }

    /**
     * Removes the image when the test JVM exits, so runs leave no images behind (the Docker
     * layer cache goes with them: each run builds its images afresh, which costs seconds).
     */
    private static void removeAtExit(String imageName) {
        IMAGES_TO_REMOVE.add(imageName);
        if (REMOVAL_HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (String name : IMAGES_TO_REMOVE) {
                    try {
                        DockerClientFactory.instance().client().removeImageCmd(name).withForce(true).exec();
                    } catch (NotFoundException neverBuilt) {
                        // Described but never used: nothing to remove.
                    } catch (RuntimeException e) {
                        System.err.println("[jrcmgr-it] could not remove image " + name + ": " + e);
                    }
                }
            }, "scratch-java-image-removal"));
        }
    }

    /**
     * The cached root file system for a module list: jlink's output under {@code opt/java} plus
     * the host libraries it links against. Made once per JDK and module list, by whichever test
     * JVM gets there first; a half-made directory is never visible because it is moved into place.
     */
    static Path runtimeRootfs(Collection<String> modules) {
        Path javaHome = Paths.get(System.getProperty("java.home"));
        TreeSet<String> sorted = new TreeSet<>(modules);
        sorted.add("java.base");
        String key = sha256(String.join("\n", "rootfs-v1", javaHome.toString(),
                System.getProperty("java.runtime.version"), String.join(",", sorted), String.join(" ", JLINK_OPTIONS)))
                .substring(0, 16);
        return ROOTFS_BY_KEY.computeIfAbsent(key, k -> {
            Path cacheDir = buildDir().resolve("scratch-java");
            Path done = cacheDir.resolve("rootfs-" + k);
            if (Files.isRegularFile(done.resolve(".complete"))) {
                return done;
            }
            try {
                Files.createDirectories(cacheDir);
                Path work = Files.createTempDirectory(cacheDir, "rootfs-" + k + ".tmp-");
                Path runtime = work.resolve(JAVA_HOME_IN_IMAGE.substring(1));
                Files.createDirectories(runtime.getParent());
                // Logs go beside the root file system, not into it (and so not into the image).
                Path log = cacheDir.resolve("rootfs-" + k + ".log");
                Files.deleteIfExists(log);
                jlink(javaHome, sorted, runtime, log);
                copyHostLibraries(runtime, work, log);
                Files.createDirectories(work.resolve("tmp"));
                Files.writeString(work.resolve("tmp/.keep"), "");
                Files.writeString(work.resolve(".complete"), String.join(",", sorted) + "\n");
                try {
                    Files.move(work, done, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // Another JVM finished the same runtime first; its copy is as good as ours.
                    if (!Files.isRegularFile(done.resolve(".complete"))) {
                        throw raced;
                    }
                    deleteTree(work);
                }
                return done;
            } catch (IOException e) {
                throw new UncheckedIOException("could not lay out the scratch image's runtime under " + cacheDir, e);
            }
        });
    }

    private static Path buildDir() {
        String configured = System.getProperty(BUILD_DIR_PROPERTY);
        // Failsafe runs with the module as working directory, which makes "target" right for an
        // IDE run too.
        return Paths.get(configured != null ? configured : "target").toAbsolutePath();
    }

    private static void jlink(Path javaHome, Collection<String> modules, Path output, Path log) throws IOException {
        Path jlink = javaHome.resolve("bin/jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException("the tests must run on a JDK with jlink; java.home is " + javaHome);
        }
        List<String> command = new ArrayList<>(List.of(jlink.toString()));
        // A JDK with jmods links from them; one without (a JEP 493 linkable runtime such as
        // Temurin 25) links from its own run-time image when no module path is given.
        Path jmods = javaHome.resolve("jmods");
        if (Files.isDirectory(jmods)) {
            command.addAll(List.of("--module-path", jmods.toString()));
        }
        command.addAll(List.of("--add-modules", String.join(",", modules)));
        command.addAll(JLINK_OPTIONS);
        command.addAll(List.of("--output", output.toString()));
        run(command, log);
    }

    /**
     * Copies every host library that the runtime's executables and shared objects load, as ldd
     * resolves them, to the same path under {@code rootfs}, following symlinks, so the loader in
     * the container finds them exactly where it looks on the host.
     */
    private static void copyHostLibraries(Path runtime, Path rootfs, Path log) throws IOException {
        List<Path> objects = new ArrayList<>();
        objects.add(runtime.resolve("bin/java"));
        try (Stream<Path> files = Files.walk(runtime.resolve("lib"))) {
            files.filter(p -> p.getFileName().toString().endsWith(".so")).forEach(objects::add);
        }
        Set<String> inRuntime;
        try (Stream<Path> files = Files.walk(runtime)) {
            inRuntime = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        Set<Path> hostLibs = new TreeSet<>();
        for (Path object : objects) {
            String out = run(List.of("ldd", object.toString()), log);
            for (String line : out.split("\n")) {
                Matcher m;
                if ((m = LDD_RESOLVED.matcher(line)).matches()) {
                    Path lib = Paths.get(m.group(2));
                    if (!lib.startsWith(runtime)) {
                        hostLibs.add(lib);
                    }
                } else if ((m = LDD_ABSOLUTE.matcher(line)).matches()) {
                    hostLibs.add(Paths.get(m.group(1)));
                } else if ((m = LDD_NOT_FOUND.matcher(line)).matches()) {
                    // libjvm.so lives in lib/server, which ldd does not search for lib/*.so; the
                    // runtime's own RUNPATH finds it at run time.
                    if (!inRuntime.contains(m.group(1))) {
                        throw new IllegalStateException("ldd " + object + ": " + m.group(1) + " not found on this host");
                    }
                }
            }
        }
        Path libDir = hostLibs.stream().filter(p -> p.getFileName().toString().startsWith("libc.so"))
                .map(Path::getParent).findFirst()
                .orElseThrow(() -> new IllegalStateException("ldd found no libc for " + runtime));
        for (String extra : EXTRA_HOST_LIBS) {
            Path lib = libDir.resolve(extra);
            if (Files.exists(lib)) {
                hostLibs.add(lib);
            }
        }
        for (Path lib : hostLibs) {
            Path target = rootfs.resolve(lib.toString().substring(1));
            Files.createDirectories(target.getParent());
            // Files.copy follows symlinks (libstdc++.so.6 -> libstdc++.so.6.0.30), so the image
            // holds the real bytes under the name the loader asks for.
            Files.copy(lib, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Runs a host tool with a deadline; its output goes to {@code log} and is returned. */
    private static String run(List<String> command, Path log) throws IOException {
        Path out = Files.createTempFile(log.getParent(), "tool-", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within " + TOOL_TIMEOUT_SECONDS + " s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.writeString(log, "$ " + String.join(" ", command) + "\n" + text,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Files.delete(out);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed (exit " + process.exitValue() + "): "
                    + String.join(" ", command) + "\n" + text);
        }
        return text;
    }

    /** What makes an image's application layer different: paths, sizes and times of its files. */
    private static String fingerprint(Path entry) {
        try (Stream<Path> files = Files.walk(entry)) {
            StringBuilder sb = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                sb.append(file).append(' ').append(Files.size(file)).append(' ')
                        .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
