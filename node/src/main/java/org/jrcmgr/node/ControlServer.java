package org.jrcmgr.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's control endpoint, on the JDK's HTTP server: read-only JSON views of its manager and
 * allocator, and the Prometheus scrape.
 *
 * <table>
 *   <caption>Paths (GET)</caption>
 *   <tr><td>{@code /health}</td><td>name, peer id, listen address, open connections</td></tr>
 *   <tr><td>{@code /snapshot}</td><td>every live scope: name, path, kind, limit, usage, peak</td></tr>
 *   <tr><td>{@code /refusals}</td><td>recent refusals, exact counts by scope kind and resource, the node's
 *       admitted and refused counts by reason</td></tr>
 *   <tr><td>{@code /peaks}</td><td>every live scope's peak against its limit, and whether all are within</td></tr>
 *   <tr><td>{@code /exactness}</td><td>live, reserved and native bytes, whether they agree, whether every scope is zero</td></tr>
 *   <tr><td>{@code /connections}</td><td>the open connections</td></tr>
 *   <tr><td>{@code /metrics}</td><td>go-libp2p's {@code libp2p_rcmgr_*} metrics, Prometheus text format</td></tr>
 * </table>
 *
 * It binds to loopback unless told otherwise (a container binds {@code 0.0.0.0} so that the host
 * can read it through a mapped port). It has no authentication: never expose it beyond a test network.
 */
public final class ControlServer {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private ControlServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the endpoint for {@code node} on {@code host:port} (port 0: any free port). */
    static ControlServer start(Node node, String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, node.config().name() + "-control");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        json(server, "/health", node, StateJson::health);
        json(server, "/snapshot", node, StateJson::snapshot);
        json(server, "/refusals", node, StateJson::refusals);
        json(server, "/peaks", node, StateJson::peaks);
        json(server, "/exactness", node, StateJson::exactness);
        json(server, "/connections", node, StateJson::connections);
        server.createContext("/metrics", exchange -> {
            if (rejectNonGet(exchange)) {
                return;
            }
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", node.scrapeMetrics());
        });
        server.createContext("/", exchange -> respond(exchange, 404, "application/json",
                "{\"error\":\"not found\",\"paths\":[\"/health\",\"/snapshot\",\"/refusals\",\"/peaks\","
                        + "\"/exactness\",\"/connections\",\"/metrics\"]}"));
        server.start();
        return new ControlServer(server, executor);
    }

    private static void json(HttpServer server, String path, Node node, Function<Node, ObjectNode> view) {
        server.createContext(path, exchange -> {
            if (rejectNonGet(exchange)) {
                return;
            }
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "application/json", "{\"error\":\"not found\"}");
                return;
            }
            String body;
            try {
                body = StateJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(view.apply(node));
            } catch (RuntimeException e) {
                LOG.warn("control endpoint {} failed", path, e);
                respond(exchange, 500, "application/json", "{\"error\":\"internal\"}");
                return;
            }
            respond(exchange, 200, "application/json", body);
        });
    }

    private static boolean rejectNonGet(HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod())) {
            return false;
        }
        respond(exchange, 405, "application/json", "{\"error\":\"GET only\"}");
        return true;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving. */
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }
}
