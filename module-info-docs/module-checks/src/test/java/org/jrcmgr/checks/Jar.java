package org.jrcmgr.checks;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.EnumSet;
import java.util.Set;

/**
 * The jars the examples run with, each found through a class it contains: on Failsafe's class path
 * those are the jars this build just packaged (ours) or the ones Maven resolved (the others).
 */
enum Jar {
    API("jrcmgr-api", "org.jrcmgr.ResourceManager"),
    IMPL("jrcmgr-impl", "org.jrcmgr.impl.ResourceManagerBuilder"),
    OFFHEAP("jrcmgr-offheap", "org.jrcmgr.offheap.OffHeap"),
    MICROMETER("jrcmgr-micrometer", "org.jrcmgr.micrometer.RcmgrMetrics"),
    EXAMPLE_APP("jrcmgr-example-app", "org.jrcmgr.example.app.Main"),
    EXAMPLE_PROVIDER("jrcmgr-example-provider", "org.jrcmgr.example.provider.CountingResourceManagerProvider"),
    EXAMPLE_OFFHEAP("jrcmgr-example-offheap", "org.jrcmgr.example.offheap.Main"),
    EXAMPLE_LIMITS("jrcmgr-example-limits", "org.jrcmgr.example.limits.Main"),
    SLF4J_API("slf4j-api", "org.slf4j.LoggerFactory"),
    SLF4J_SIMPLE("slf4j-simple", "org.slf4j.simple.SimpleLogger"),
    JACKSON_DATABIND("jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper"),
    JACKSON_CORE("jackson-core", "com.fasterxml.jackson.core.JsonFactory"),
    JACKSON_ANNOTATIONS("jackson-annotations", "com.fasterxml.jackson.annotation.JsonProperty"),
    CHRONICLE_BYTES("chronicle-bytes", "net.openhft.chronicle.bytes.Bytes"),
    CHRONICLE_CORE("chronicle-core", "net.openhft.chronicle.core.OS");

    /** The artifacts this project publishes. */
    static final Set<Jar> PUBLISHED = EnumSet.of(API, IMPL, OFFHEAP, MICROMETER);

    /** Every module of this project: the published ones and the examples. */
    static final Set<Jar> OURS = EnumSet.of(API, IMPL, OFFHEAP, MICROMETER, EXAMPLE_APP, EXAMPLE_PROVIDER,
            EXAMPLE_OFFHEAP, EXAMPLE_LIMITS);

    private final String artifactId;
    private final String someClass;

    Jar(String artifactId, String someClass) {
        this.artifactId = artifactId;
        this.someClass = someClass;
    }

    /** The Maven artifact id, which is also the file name the examples are run with (plus {@code .jar}). */
    String artifactId() {
        return artifactId;
    }

    /** {@code artifactId.jar}: the name of the jar in the directories the examples run from. */
    String fileName() {
        return artifactId + ".jar";
    }

    /** Where the jar is, as Maven resolved it. */
    Path path() {
        Class<?> type;
        try {
            type = Class.forName(someClass, false, Jar.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(artifactId + " is not on the test class path (no " + someClass + ")", e);
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        Path path;
        try {
            path = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        if (!Files.isRegularFile(path) || !path.toString().endsWith(".jar")) {
            throw new AssertionError(artifactId + " resolved to " + path + ", not to a jar: run these checks with"
                    + " `mvn verify` (Failsafe runs them after the modules are packaged)");
        }
        return path;
    }
}
