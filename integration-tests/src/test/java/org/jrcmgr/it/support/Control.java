package org.jrcmgr.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.testcontainers.containers.GenericContainer;

/**
 * Reads one node's control endpoint ({@code /health}, {@code /snapshot}, {@code /peaks},
 * {@code /refusals}, {@code /exactness}, {@code /connections}) through the port Testcontainers
 * mapped on {@code localhost}, and checks a snapshot against its limits.
 *
 * <p>Every request has a timeout and every poll a deadline.
 */
public final class Control {

    /** The JSON reader for every document. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECT_ATTEMPTS = 10;

    /** The resources whose peak a limit bounds, each counted on its own. */
    private static final List<String> RESOURCES = List.of("streamsInbound", "streamsOutbound", "connsInbound",
            "connsOutbound", "fd", "memory");

    private final String name;
    private final URI base;

    /**
     * A client for a started node container.
     *
     * @param name a label for messages
     * @param node the container, started
     */
    public Control(String name, GenericContainer<?> node) {
        this.name = name;
        this.base = URI.create("http://" + node.getHost() + ":" + node.getMappedPort(NodeContainers.CONTROL_PORT));
    }

    /** The label. */
    public String name() {
        return name;
    }

    /**
     * GETs a path and parses its JSON.
     *
     * @param path such as {@code /snapshot}
     * @return the document
     */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> response;
        for (int attempt = 1; ; attempt++) {
            try {
                response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                break;
            } catch (java.net.ConnectException e) {
                // Docker's port forwarding can refuse a connection for a moment (a container joining
                // a network); the node itself has answered since it printed its ready line.
                if (attempt >= CONNECT_ATTEMPTS) {
                    throw new IOException(name + " " + path + ": no connection to " + base + " after " + attempt
                            + " attempts", e);
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        if (response.statusCode() != 200) {
            throw new IOException(name + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** {@code /snapshot}. */
    public JsonNode snapshot() throws IOException, InterruptedException {
        return get("/snapshot");
    }

    /** {@code /exactness}. */
    public JsonNode exactness() throws IOException, InterruptedException {
        return get("/exactness");
    }

    /** {@code /refusals}. */
    public JsonNode refusals() throws IOException, InterruptedException {
        return get("/refusals");
    }

    /** {@code /peaks}. */
    public JsonNode peaks() throws IOException, InterruptedException {
        return get("/peaks");
    }

    /** {@code /connections}. */
    public JsonNode connections() throws IOException, InterruptedException {
        return get("/connections");
    }

    /**
     * Polls {@code path} until {@code done} holds for its document, at most {@code timeout}.
     *
     * @return the last document read
     * @throws AssertionError with the last document if {@code done} never held
     */
    public JsonNode await(String path, Predicate<JsonNode> done, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode doc = get(path);
            if (done.test(doc)) {
                return doc;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + ": " + what + " not reached within " + timeout + "; last " + path
                        + ":\n" + doc.toPrettyString());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * Waits until the node holds nothing: every scope's usage zero, no live buffer, no reserved or
     * native byte, the allocator's books balanced ({@code /exactness}).
     *
     * @return the last {@code /exactness}
     */
    public JsonNode awaitIdle(Duration timeout) throws IOException, InterruptedException {
        return await("/exactness", e -> e.path("idle").asBoolean() && e.path("balanced").asBoolean(), timeout,
                "idle (every scope and all native memory at zero)");
    }

    /** The connections open now, counted by the remote IP address. */
    public Map<String, Integer> connectionsByAddress() throws IOException, InterruptedException {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode c : connections().path("connections")) {
            out.merge(ipOf(c.path("remoteAddress").asText()), 1, Integer::sum);
        }
        return out;
    }

    /** The IP address in a multiaddr such as {@code /ip4/172.19.0.3/tcp/40112}. */
    public static String ipOf(String multiaddr) {
        String[] parts = multiaddr.split("/");
        return parts.length > 2 ? parts[2] : multiaddr;
    }

    // ---- invariants -------------------------------------------------------------------------------

    /**
     * Every scope of a {@code /snapshot} whose peak of a resource is above its limit: inbound and
     * outbound streams and connections, fd and memory each on its own, and the stream and connection
     * totals where one direction's peak is zero (then the other direction's peak is the total's peak;
     * with both directions used, the peaks of the two were not simultaneous and their sum proves nothing).
     *
     * @return one line per violation; empty when every peak is within its limit
     */
    public static List<String> violations(JsonNode snapshot) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : snapshot.path("scopes")) {
            JsonNode peak = s.path("peak");
            JsonNode limit = s.path("limit");
            for (String r : RESOURCES) {
                check(out, s, r, peak.path(r).asLong(), limit.path(r));
            }
            totals(out, s, "streams", peak.path("streamsInbound").asLong(), peak.path("streamsOutbound").asLong(),
                    limit.path("streams"));
            totals(out, s, "conns", peak.path("connsInbound").asLong(), peak.path("connsOutbound").asLong(),
                    limit.path("conns"));
        }
        return out;
    }

    private static void totals(List<String> out, JsonNode s, String resource, long in, long outbound, JsonNode limit) {
        if (in == 0 || outbound == 0) {
            check(out, s, resource, in + outbound, limit);
        }
    }

    private static void check(List<String> out, JsonNode s, String resource, long peak, JsonNode limit) {
        if (limit.isNumber() && peak > limit.asLong()) {
            out.add(s.path("name").asText() + " " + resource + " peak " + peak + " > limit " + limit.asLong());
        }
    }

    /**
     * Every scope of a {@code /snapshot} whose usage is not zero.
     *
     * @return one line per scope
     */
    public static List<String> nonZero(JsonNode snapshot) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : snapshot.path("scopes")) {
            JsonNode usage = s.path("usage");
            Iterator<Map.Entry<String, JsonNode>> it = usage.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().asLong() != 0) {
                    out.add(s.path("name").asText() + " " + usage);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The scope of a {@code /snapshot} with this name.
     *
     * @return the scope, or a missing node
     */
    public static JsonNode scope(JsonNode snapshot, String scopeName) {
        for (JsonNode s : snapshot.path("scopes")) {
            if (scopeName.equals(s.path("name").asText())) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** A JSON object of counts as a sorted map. */
    public static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    /** The sum of a JSON object of counts. */
    public static long sum(JsonNode object) {
        long n = 0;
        for (JsonNode v : object) {
            n += v.asLong();
        }
        return n;
    }

    /** A small ordered map builder for tables. */
    public static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return m;
    }
}
