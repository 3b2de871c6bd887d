package org.jrcmgr.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.node.protocol.Exchanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ControlEndpointTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyPathServesItsShape() throws Exception {
        BaseLimit system = TestNodes.conns(TestNodes.base().system(), 1, 128, 129);
        try (TestNodes nodes = new TestNodes()) {
            Node a = nodes.start("a", TestNodes.base());
            Node c = nodes.start("c", TestNodes.base());
            Node b = nodes.start(NodeConfig.builder().name("b").limits(TestNodes.limits(l -> l.system(system)))
                    .control("127.0.0.1", 0).refusalSummary(null));
            InetSocketAddress control = b.controlAddress();
            assertTrue(control.getAddress().isLoopbackAddress());
            PeerConnection conn = a.dial(b.listenAddress()).get(10, TimeUnit.SECONDS);
            Exchanges.echo(conn, 5000).get(10, TimeUnit.SECONDS);
            NodeTest.assertFailed(c.dial(b.listenAddress())); // refused: system holds one inbound connection

            JsonNode health = get(control, "/health");
            assertEquals("ok", health.path("status").asText());
            assertEquals(b.peerId().toBase58(), health.path("peerId").asText());
            assertEquals(1, health.path("connections").asInt());

            JsonNode snapshot = get(control, "/snapshot");
            Set<String> names = new HashSet<>();
            for (JsonNode s : snapshot.path("scopes")) {
                names.add(s.path("name").asText());
                for (String field : new String[] {"name", "path", "kind", "limit", "usage", "peak"}) {
                    assertTrue(s.has(field), field + " in " + s);
                }
                for (String field : new String[] {"streamsInbound", "streamsOutbound", "connsInbound", "connsOutbound",
                        "fd", "memory"}) {
                    assertTrue(s.path("usage").path(field).isNumber(), field);
                    assertTrue(s.path("peak").path(field).isNumber(), field);
                    assertTrue(s.path("limit").has(field), field);
                }
                assertTrue(s.path("limit").has("streams") && s.path("limit").has("conns"));
            }
            assertTrue(names.contains("system") && names.contains("transient"), names.toString());
            assertTrue(names.contains("peer:" + a.peerId().toBase58()), names.toString());
            JsonNode sys = find(snapshot, "system");
            assertEquals("system", sys.path("kind").asText());
            assertEquals(1, sys.path("usage").path("connsInbound").asLong());
            assertEquals(1, sys.path("limit").path("connsInbound").asLong());
            assertEquals("system > peer:" + a.peerId().toBase58(),
                    find(snapshot, "peer:" + a.peerId().toBase58()).path("path").asText());

            JsonNode refusals = get(control, "/refusals");
            assertTrue(refusals.path("recent").size() >= 1);
            JsonNode first = refusals.path("recent").get(0);
            assertEquals("system", first.path("refusingScope").asText());
            assertEquals("inbound connection", first.path("resource").asText());
            assertEquals(1, first.path("limit").asLong());
            assertEquals(1, refusals.path("counts").path("byScopeKind").path("system").asLong());
            assertEquals(1, refusals.path("node").path("connsRefused").path("scope:system").asLong());
            assertEquals(1, refusals.path("node").path("connsAdmittedInbound").asLong());

            JsonNode peaks = get(control, "/peaks");
            assertTrue(peaks.path("withinLimits").asBoolean());
            assertEquals(1, find(peaks, "system").path("peak").path("connsInbound").asLong());
            assertEquals(0, find(peaks, "system").path("exceeded").size());

            conn.close(Reason.NORMAL_CLOSE).get(10, TimeUnit.SECONDS);
            TestNodes.assertIdle(a, b, c);
            JsonNode exact = get(control, "/exactness");
            for (String field : new String[] {"liveBuffers", "liveBytes", "reservedBytes", "nativeBytes",
                    "deferredBytes", "leakedBuffers"}) {
                assertEquals(0, exact.path(field).asLong(), field + " in " + exact);
            }
            assertTrue(exact.path("balanced").asBoolean());
            assertTrue(exact.path("scopesZero").asBoolean());
            assertTrue(exact.path("idle").asBoolean());
            assertEquals(0, exact.path("nonZeroScopes").size());

            assertEquals(0, get(control, "/connections").path("connections").size());

            HttpResponse<String> metrics = fetch(control, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(metrics.body().contains("libp2p_rcmgr_connections"), metrics.body());
            assertTrue(metrics.body().contains("libp2p_rcmgr_blocked_resources"), metrics.body());

            assertEquals(404, fetch(control, "/nope").statusCode());
        }
    }

    private JsonNode get(InetSocketAddress control, String path) throws Exception {
        HttpResponse<String> r = fetch(control, path);
        assertEquals(200, r.statusCode(), path);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return StateJson.mapper().readTree(r.body());
    }

    private HttpResponse<String> fetch(InetSocketAddress control, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control.getPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode find(JsonNode doc, String name) {
        for (JsonNode s : doc.path("scopes")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no scope " + name);
    }
}
