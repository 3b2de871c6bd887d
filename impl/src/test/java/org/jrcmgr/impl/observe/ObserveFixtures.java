package org.jrcmgr.impl.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Limit;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;

/** Helpers for the observability tests: reading trace files, fake scopes, allocation counting. */
final class ObserveFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** go's numeric trace fields, in go's order; "type name {field=value, ...}" lists the non-zero ones. */
    private static final List<String> NUMBERS = List.of("Priority", "Delta", "DeltaIn", "DeltaOut", "Memory",
            "StreamsIn", "StreamsOut", "ConnsIn", "ConnsOut", "FD");

    private ObserveFixtures() {
    }

    /** Every line of a gzip trace file, parsed by a plain gzip and JSON reader. */
    static List<JsonNode> readTrace(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    /** An event as "type name {Field=value, ...}" with the numeric fields it carries, Time and Scope aside. */
    static String brief(JsonNode event) {
        StringBuilder out = new StringBuilder(event.get("Type").asText());
        if (event.has("Name")) {
            out.append(' ').append(event.get("Name").asText());
        }
        List<String> fields = new ArrayList<>();
        for (String f : NUMBERS) {
            if (event.has(f)) {
                fields.add(f + "=" + event.get(f).asLong());
            }
        }
        if (!fields.isEmpty()) {
            out.append(" {").append(String.join(", ", fields)).append('}');
        }
        return out.toString();
    }

    /** The event without its Time, for comparing two recordings of the same events. */
    static JsonNode withoutTime(JsonNode event) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = event.deepCopy();
        copy.remove("Time");
        return copy;
    }

    /** The keys of a JSON object, in order. */
    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            keys.add(it.next().getKey());
        }
        return keys;
    }

    /** A scope for unit tests of observers, holding a fixed stat. */
    record FakeScope(String name, String path, ScopeKind kind, Limit limit, ScopeStat stat) implements ObservedScope {
        static FakeScope of(String name, ScopeKind kind) {
            return new FakeScope(name, "system > " + name, kind, BaseLimit.UNLIMITED, ScopeStat.ZERO);
        }
    }

    /**
     * Bytes allocated by the current thread so far, from {@code com.sun.management.ThreadMXBean}.
     * The test code lives in the module org.jrcmgr.impl, which does not read java.management or
     * jdk.management, so the bean is reached by reflection (core reflection and the public lookup
     * need no readability) and called through a method handle that returns a primitive: the
     * measurement itself allocates nothing.
     */
    static final class AllocationMeter {
        private final Object bean;
        private final MethodHandle allocated;

        AllocationMeter() {
            try {
                Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
                bean = factory.getMethod("getThreadMXBean").invoke(null);
                Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
                sunBean.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
                allocated = MethodHandles.publicLookup()
                        .findVirtual(sunBean, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                        .asType(MethodType.methodType(long.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("com.sun.management.ThreadMXBean (module jdk.management) is needed", e);
            }
        }

        long allocatedBytes() {
            try {
                return (long) allocated.invokeExact(bean);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }
}
