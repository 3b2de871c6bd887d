package org.jrcmgr.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the suite on the JDK running this class and writes JMH's JSON to {@code jrcmgr.bench.out},
 * with a sidecar {@code *-env.json} saying where and when it ran (JDK, load average before and
 * after, settings). Every benchmark runs with the GC profiler, so every figure has its B/op.
 * Settings come from system properties (see the module's POM); run.sh sets them.
 */
public final class RunSuite {

    private RunSuite() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(property("jrcmgr.bench.out", "results/results-jdk"
                + System.getProperty("java.specification.version") + ".json")).toAbsolutePath();
        String include = property("jrcmgr.bench.include", "org\\.jrcmgr\\.benchmarks\\..*");
        // Unset, each benchmark class's @Fork, @Warmup and @Measurement apply (1 fork; 2 to 5
        // warm-up and 4 or 5 measured iterations of 1 s).
        String forks = property("jrcmgr.bench.forks", null);
        String warmup = property("jrcmgr.bench.warmup", null);
        String iterations = property("jrcmgr.bench.iterations", null);
        String seconds = property("jrcmgr.bench.time", null);
        String[] forkFlags = Arrays.stream(property("jrcmgr.bench.forkFlags", "").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toArray(String[]::new);
        Files.createDirectories(out.getParent());

        Map<String, Object> env = new LinkedHashMap<>();
        env.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        env.put("javaHome", System.getProperty("java.home"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("forkFlags", List.of(forkFlags));
        env.put("include", include);
        env.put("start", Instant.now().toString());
        env.put("loadAverageAtStart", loadAverage());

        ChainedOptionsBuilder builder = new OptionsBuilder().include(include);
        if (forks != null) {
            builder.forks(Integer.parseInt(forks));
        }
        if (warmup != null) {
            builder.warmupIterations(Integer.parseInt(warmup));
        }
        if (iterations != null) {
            builder.measurementIterations(Integer.parseInt(iterations));
        }
        if (seconds != null) {
            builder.warmupTime(TimeValue.seconds(Integer.parseInt(seconds)))
                    .measurementTime(TimeValue.seconds(Integer.parseInt(seconds)));
        }
        Options options = builder
                .addProfiler(GCProfiler.class)
                .jvmArgs(forkFlags)
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(out.toString())
                .build();
        new Runner(options).run();

        env.put("end", Instant.now().toString());
        env.put("loadAverageAtEnd", loadAverage());
        Path sidecar = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + "-env.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(sidecar.toFile(), env);
        System.out.println("wrote " + out + " and " + sidecar);
    }

    private static String property(String name, String otherwise) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them; "unknown" elsewhere. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
