package org.jrcmgr.impl.observe;

import static org.jrcmgr.impl.observe.ObserveFixtures.brief;
import static org.jrcmgr.impl.observe.ObserveFixtures.keys;
import static org.jrcmgr.impl.observe.ObserveFixtures.parse;
import static org.jrcmgr.impl.observe.ObserveFixtures.readTrace;
import static org.jrcmgr.impl.observe.ObserveFixtures.withoutTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScopeSpan;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scripted life of a connection and a stream produces exactly go-libp2p's trace: every scope
 * touched reports its own event, in the order the DAG touches them, with go's signs and fields.
 */
class TraceScenarioTest {

    private static final PeerId PEER = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");
    private static final String P = PEER.toBase58();
    private static final ProtocolId ECHO = ProtocolId.of("/echo/1.0.0");

    /** Unlimited but for the peer: 1 MiB of memory and one outbound stream. */
    private static ConcreteLimitConfig limits() {
        BaseLimit peer = BaseLimit.UNLIMITED.toBuilder()
                .memory(1 << 20)
                .streams(LimitValue.unlimited(), LimitValue.of(1), LimitValue.unlimited())
                .build();
        return ConcreteLimitConfig.infinite().toBuilder().peerDefault(peer).build();
    }

    @Test
    void aScriptedScenarioProducesExactlyGoLibp2psEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rcmgr.json.gz");
        List<TraceEvent> reported = new CopyOnWriteArrayList<>();
        Instant before = Instant.now();
        try (ResourceManager rm = ResourceManagerBuilder.create().limits(limits()).collectInterval(null)
                .trace(file).traceReporter(reported::add).build()) {
            ConnManagementScope conn = rm.openConnection(Direction.INBOUND, true, Multiaddr.parse("/ip4/192.0.2.7/tcp/4001"));
            conn.setPeer(PEER);
            StreamManagementScope stream = rm.openStream(PEER, Direction.OUTBOUND);
            stream.setProtocol(ECHO);
            stream.setService("svc");
            stream.reserveMemory(1024, ReservationPriority.HIGH);
            ResourceScopeSpan span = stream.beginSpan();
            span.reserveMemory(512, ReservationPriority.LOW);
            span.done();
            stream.releaseMemory(1024);
            assertFalse(stream.tryReserveMemory(2 << 20, ReservationPriority.ALWAYS), "the peer's 1 MiB refuses");
            assertThrows(ResourceLimitExceededException.class, () -> rm.openStream(PEER, Direction.OUTBOUND),
                    "the peer admits one outbound stream");
            stream.done();
            conn.done();
        }
        Instant after = Instant.now();

        List<JsonNode> events = readTrace(file);
        List<String> actual = new ArrayList<>();
        events.forEach(e -> actual.add(brief(e)));

        String conn = "{Delta=1, DeltaIn=1, ConnsIn=1, FD=1}";
        String streamOut = "{DeltaOut=1, StreamsOut=1}";
        String peerEdges = "peer:" + P;
        List<String> sixEdges = List.of(peerEdges, "protocol:/echo/1.0.0.peer:" + P, "service:svc.peer:" + P,
                "protocol:/echo/1.0.0", "service:svc", "system");
        List<String> expected = new ArrayList<>(List.of(
                "start",
                "create_scope system",
                "create_scope transient",
                "create_scope allowlistedSystem",
                "create_scope allowlistedTransient",
                // openConnection: the connection, then its edges [transient, system]
                "create_scope conn-1",
                "add_conn conn-1 " + conn,
                "add_conn transient " + conn,
                "add_conn system " + conn,
                // setPeer: the peer takes the connection over from the transient scope
                "create_scope peer:" + P,
                "add_conn peer:" + P + " " + conn,
                "remove_conn transient {Delta=-1, DeltaIn=-1}",
                // openStream: [peer, transient, system]
                "create_scope stream-1",
                "add_stream stream-1 " + streamOut,
                "add_stream peer:" + P + " " + streamOut,
                "add_stream transient " + streamOut,
                "add_stream system " + streamOut,
                // setProtocol: protocol and its per-peer share take the stream, the transient scope lets go
                "create_scope protocol:/echo/1.0.0",
                "add_stream protocol:/echo/1.0.0 " + streamOut,
                "create_scope protocol:/echo/1.0.0.peer:" + P,
                "add_stream protocol:/echo/1.0.0.peer:" + P + " " + streamOut,
                "remove_stream transient {DeltaOut=-1}",
                // setService: a pure addition
                "create_scope service:svc",
                "add_stream service:svc " + streamOut,
                "create_scope service:svc.peer:" + P,
                "add_stream service:svc.peer:" + P + " " + streamOut));
        // reserveMemory(1024, HIGH) on the stream: six edges, then the stream
        for (String edge : sixEdges) {
            expected.add("reserve_memory " + edge + " {Priority=203, Delta=1024, Memory=1024}");
        }
        expected.add("reserve_memory stream-1 {Priority=203, Delta=1024, Memory=1024}");
        expected.add("create_scope stream-1.span-1");
        // the span's 512 at LOW go through the stream: edges, the stream, then the span itself
        for (String edge : sixEdges) {
            expected.add("reserve_memory " + edge + " {Priority=101, Delta=512, Memory=1536}");
        }
        expected.add("reserve_memory stream-1 {Priority=101, Delta=512, Memory=1536}");
        expected.add("reserve_memory stream-1.span-1 {Priority=101, Delta=512, Memory=512}");
        // span.done(): the stream gives the span's bytes back, then the span is destroyed
        expected.add("release_memory stream-1 {Delta=-512, Memory=1024}");
        for (String edge : sixEdges) {
            expected.add("release_memory " + edge + " {Delta=-512, Memory=1024}");
        }
        expected.add("destroy_scope stream-1.span-1");
        expected.add("release_memory stream-1 {Delta=-1024}");
        for (String edge : sixEdges) {
            expected.add("release_memory " + edge + " {Delta=-1024}");
        }
        // tryReserveMemory(2 MiB): the stream admits it, its first edge (the peer) refuses, nothing stays
        expected.add("block_reserve_memory peer:" + P + " {Priority=255, Delta=2097152}");
        // a second outbound stream: the peer's one outbound stream is taken
        expected.add("create_scope stream-2");
        expected.add("block_add_stream peer:" + P + " {DeltaOut=1, StreamsOut=1}");
        expected.add("destroy_scope stream-2");
        // stream.done(): each edge lets the stream go
        for (String edge : sixEdges) {
            expected.add("remove_stream " + edge + " {DeltaOut=-1}");
        }
        expected.add("destroy_scope stream-1");
        // conn.done(): [peer, system]
        expected.add("remove_conn peer:" + P + " {Delta=-1, DeltaIn=-1}");
        expected.add("remove_conn system {Delta=-1, DeltaIn=-1}");
        expected.add("destroy_scope conn-1");

        assertEquals(String.join("\n", expected), String.join("\n", actual));

        // The reporter saw the very same events.
        assertEquals(events.size(), reported.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(withoutTime(events.get(i)), withoutTime(parse(reported.get(i).toJson())), "event " + i);
        }

        // Time: RFC 3339 with nanoseconds, in the run's window; Type first, as in go's struct.
        for (JsonNode e : events) {
            assertEquals(List.of("Time", "Type"), keys(e).subList(0, 2));
            Instant at = Instant.parse(e.get("Time").asText());
            assertFalse(at.isBefore(before.minusMillis(1)) || at.isAfter(after.plusMillis(1)), e.toString());
            assertTrue(e.get("Time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z"));
        }
    }

    @Test
    void scopesAreWrittenAsGoClassesWithSpansReportedProperly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rcmgr.json.gz");
        try (ResourceManager rm = ResourceManagerBuilder.create().limits(limits()).collectInterval(null)
                .trace(file).build()) {
            ConnManagementScope conn = rm.openConnection(Direction.OUTBOUND, false, Multiaddr.parse("/ip4/192.0.2.7/tcp/4001"));
            conn.setPeer(PEER);
            StreamManagementScope stream = rm.openStream(PEER, Direction.INBOUND);
            stream.setProtocol(ECHO);
            stream.setService("svc");
            ResourceScopeSpan span = stream.beginSpan();
            ResourceScopeSpan nested = span.beginSpan();
            nested.done();
            span.done();
            rm.viewSystem(system -> {
                system.beginSpan().done();
                return null;
            });
            stream.done();
            conn.done();
        }
        List<String> created = new ArrayList<>();
        JsonNode startLimit = null;
        JsonNode connLimit = null;
        for (JsonNode e : readTrace(file)) {
            if (e.get("Type").asText().equals("start")) {
                startLimit = e.get("Limit");
            }
            if (e.get("Type").asText().equals("create_scope")) {
                created.add(e.get("Name").asText() + " " + e.get("Scope"));
                if (e.get("Name").asText().equals("conn-1")) {
                    connLimit = e.get("Limit");
                }
            }
        }
        assertEquals(List.of(
                "system {\"Class\":\"system\"}",
                "transient {\"Class\":\"transient\"}",
                "allowlistedSystem {\"Class\":\"allowlistedSystem\"}",
                "allowlistedTransient {\"Class\":\"allowlistedTransient\"}",
                "conn-1 {\"Class\":\"conn\",\"Conn\":\"1\"}",
                "peer:" + P + " {\"Class\":\"peer\",\"Peer\":\"" + P + "\"}",
                "stream-1 {\"Class\":\"stream\",\"Stream\":\"1\"}",
                "protocol:/echo/1.0.0 {\"Class\":\"protocol\",\"Protocol\":\"/echo/1.0.0\"}",
                "protocol:/echo/1.0.0.peer:" + P + " {\"Class\":\"protocol-peer\",\"Protocol\":\"/echo/1.0.0\",\"Peer\":\""
                        + P + "\"}",
                "service:svc {\"Class\":\"service\",\"Service\":\"svc\"}",
                "service:svc.peer:" + P + " {\"Class\":\"service-peer\",\"Service\":\"svc\",\"Peer\":\"" + P + "\"}",
                "stream-1.span-1 {\"Class\":\"stream\",\"Stream\":\"1\",\"Span\":\"1\"}",
                "stream-1.span-1.span-1 {\"Class\":\"stream\",\"Stream\":\"1\",\"Span\":\"1.1\"}",
                // go-libp2p fails to encode a span of the system scope (and stops its writer); not so here
                "system.span-1 {\"Class\":\"system\",\"Span\":\"1\"}"), created);

        // Unlimited is go's MaxInt64; the start event carries the limit file go would read back.
        assertEquals(Long.MAX_VALUE, connLimit.get("Memory").asLong());
        assertEquals(List.of("Streams", "StreamsInbound", "StreamsOutbound", "Conns", "ConnsInbound", "ConnsOutbound",
                "FD", "Memory"), keys(connLimit));
        assertTrue(startLimit != null && startLimit.has("System") && startLimit.has("PeerDefault"),
                String.valueOf(startLimit));
    }
}
