package org.jrcmgr.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.jrcmgr.PeerId;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void identityIsALibp2pEd25519PeerId() {
        Identity id = Identity.generate();
        byte[] key = id.encodedPublicKey();
        assertEquals(36, key.length);
        assertEquals(0x08, key[0]);
        assertEquals(0x01, key[1]);
        assertEquals(0x12, key[2]);
        assertEquals(0x20, key[3]);
        assertTrue(id.peerId().toBase58().startsWith("12D3KooW"), id.peerId().toBase58());
        assertEquals(id.peerId(), Identity.peerIdOf(key));
        assertEquals(id.peerId(), PeerId.fromString(id.peerId().toBase58()));
        assertFalse(Identity.generate().peerId().equals(id.peerId()));
        key[1] = 0x02; // secp256k1's type: not what this transport speaks
        assertThrows(IllegalArgumentException.class, () -> Identity.peerIdOf(key));
        assertThrows(IllegalArgumentException.class, () -> Identity.peerIdOf(new byte[10]));
    }

    @Test
    void reasonsSurviveTheWire() {
        Reason r = new Reason(ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED, Reason.SCOPE, "peer", "peer:12D3KooWxyz",
                "inbound stream", "system > peer:12D3KooWxyz > stream-4: cannot reserve inbound stream ...", true);
        Reason back = Reason.decode(ByteBuffer.wrap(r.encode()));
        assertEquals(r.code(), back.code());
        assertEquals(r.scope(), back.scope());
        assertEquals(r.message(), back.message());
        assertFalse(back.local());
        assertEquals("scope:peer", back.key());
        assertEquals("local-scope:peer", r.key());
        // Long messages are cut at a character boundary.
        Reason longOne = Reason.of(0, Reason.INTERNAL, "\u00e9".repeat(2000));
        Reason cut = Reason.decode(ByteBuffer.wrap(longOne.encode()));
        assertEquals(512, cut.message().length());
        assertThrows(IllegalArgumentException.class, () -> Reason.decode(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 9})));
    }

    @Test
    void scopeKindsFollowTheDefaultImplementationsNames() {
        assertEquals("system", Reason.scopeKindOf("system"));
        assertEquals("transient", Reason.scopeKindOf("transient"));
        assertEquals("allowlisted-system", Reason.scopeKindOf("allowlistedSystem"));
        assertEquals("peer", Reason.scopeKindOf("peer:12D3KooWabc"));
        assertEquals("protocol", Reason.scopeKindOf("protocol:/slow/1.0.0"));
        assertEquals("protocol-peer", Reason.scopeKindOf("protocol:/slow/1.0.0.peer:12D3KooWabc"));
        assertEquals("service", Reason.scopeKindOf("service:echo"));
        assertEquals("service-peer", Reason.scopeKindOf("service:echo.peer:12D3KooWabc"));
        assertEquals("conn", Reason.scopeKindOf("conn-17"));
        assertEquals("stream", Reason.scopeKindOf("stream-4"));
        assertEquals("span", Reason.scopeKindOf("stream-4.span-1"));
    }
}
