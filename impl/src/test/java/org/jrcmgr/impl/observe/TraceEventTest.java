package org.jrcmgr.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.impl.observe.TraceEvent.TraceScope;
import org.jrcmgr.impl.observe.TraceEvent.Type;
import org.junit.jupiter.api.Test;

/** Scope names split into go's classes, and events written as go's encoder writes them. */
class TraceEventTest {

    private static TraceScope scope(String cls, String peer, String protocol, String service, String conn,
                                    String stream, String span) {
        return new TraceScope(cls, peer, protocol, service, conn, stream, span);
    }

    @Test
    void scopeNamesSplitIntoGoClasses() {
        assertEquals(scope("system", null, null, null, null, null, null), TraceScope.of("system"));
        assertEquals(scope("allowlistedTransient", null, null, null, null, null, null),
                TraceScope.of("allowlistedTransient"));
        assertEquals(scope("conn", null, null, null, "17", null, null), TraceScope.of("conn-17"));
        assertEquals(scope("stream", null, null, null, null, "4", "2"), TraceScope.of("stream-4.span-2"));
        assertEquals(scope("peer", "12D3KooWX", null, null, null, null, null), TraceScope.of("peer:12D3KooWX"));
        assertEquals(scope("service", null, null, "a.span-x", null, null, null), TraceScope.of("service:a.span-x"));
        assertEquals(scope("service-peer", "QmP", null, "svc", null, null, "3.1"),
                TraceScope.of("service:svc.peer:QmP.span-3.span-1"));
        assertEquals(scope("protocol", null, "/ipfs/id/1.0.0", null, null, null, null),
                TraceScope.of("protocol:/ipfs/id/1.0.0"));
        assertEquals(scope("protocol-peer", "QmP", "/ipfs/id/1.0.0", null, null, null, null),
                TraceScope.of("protocol:/ipfs/id/1.0.0.peer:QmP"));
        assertEquals(scope("transient", null, null, null, null, null, "1"), TraceScope.of("transient.span-1"));
        assertEquals(scope("odd", null, null, null, null, null, null), TraceScope.of("odd"));
    }

    @Test
    void scopeObjectsHaveGoKeysAndOrder() {
        assertEquals("{\"Class\":\"protocol-peer\",\"Protocol\":\"/p\",\"Peer\":\"QmP\",\"Span\":\"2\"}",
                TraceScope.of("protocol:/p.peer:QmP.span-2").toJson());
        assertEquals("{\"Class\":\"conn\",\"Conn\":\"3\"}", TraceScope.of("conn-3").toJson());
    }

    @Test
    void eventsLeaveZeroFieldsOutAndEscapeAsGoDoes() {
        TraceEvent event = new TraceEvent(Instant.parse("2024-02-29T23:59:59.5Z"), Type.RELEASE_MEMORY,
                TraceScope.of("service:<a&b>\"\n"), "service:<a&b>\"\n", null, null, 0, -5, 0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals("{\"Time\":\"2024-02-29T23:59:59.5Z\",\"Type\":\"release_memory\","
                + "\"Scope\":{\"Class\":\"service\",\"Service\":\"\\u003ca\\u0026b\\u003e\\\"\\n\"},"
                + "\"Name\":\"service:\\u003ca\\u0026b\\u003e\\\"\\n\",\"Delta\":-5}", event.toJson());

        TraceEvent created = new TraceEvent(Instant.EPOCH, Type.CREATE_SCOPE, TraceScope.of("conn-1"), "conn-1",
                BaseLimit.builder().conns(1, 0, 1).fd(1).memory(1 << 20).build(), null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals("{\"Time\":\"1970-01-01T00:00:00Z\",\"Type\":\"create_scope\",\"Scope\":{\"Class\":\"conn\","
                + "\"Conn\":\"1\"},\"Name\":\"conn-1\",\"Limit\":{\"Conns\":1,\"ConnsInbound\":1,\"FD\":1,"
                + "\"Memory\":1048576}}", created.toJson());
    }

    @Test
    void typesCarryGoNames() {
        for (Type t : Type.values()) {
            assertEquals(t, Type.ofGoName(t.goName()));
        }
        assertEquals("block_reserve_memory", Type.BLOCK_RESERVE_MEMORY.goName());
        assertThrows(IllegalArgumentException.class, () -> Type.ofGoName("nope"));
    }
}
