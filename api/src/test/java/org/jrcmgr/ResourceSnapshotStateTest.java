package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state helpers follow go-libp2p's ResourceManagerState: names, kinds and go's sort orders. */
class ResourceSnapshotStateTest {

    private static ScopeSnapshot scope(String name, ScopeKind kind) {
        return new ScopeSnapshot(name, "system > " + name, kind, BaseLimit.UNLIMITED, ScopeStat.ZERO, ScopeStat.ZERO);
    }

    @Test
    void listsServicesProtocolsAndPeersWithoutSharesOrOtherKinds() {
        PeerId a = PeerId.random();
        ResourceSnapshot snapshot = new ResourceSnapshot(Instant.EPOCH, List.of(
                scope("system", ScopeKind.SYSTEM),
                scope("service:b", ScopeKind.SERVICE),
                scope("service:b.peer:" + a, ScopeKind.SERVICE_PEER),
                scope("service:a", ScopeKind.SERVICE),
                scope("protocol:/z/1.0.0", ScopeKind.PROTOCOL),
                scope("protocol:/z/1.0.0.peer:" + a, ScopeKind.PROTOCOL_PEER),
                scope("protocol:/a/1.0.0", ScopeKind.PROTOCOL),
                scope("peer:" + a, ScopeKind.PEER),
                scope("conn-1", ScopeKind.CONNECTION)));

        assertEquals(List.of("a", "b"), snapshot.services());
        assertEquals(List.of(ProtocolId.of("/a/1.0.0"), ProtocolId.of("/z/1.0.0")), snapshot.protocols());
        assertEquals(List.of(a), snapshot.peers());
        assertEquals("service:a", snapshot.service("a").orElseThrow().name());
        assertEquals("protocol:/z/1.0.0", snapshot.protocol(ProtocolId.of("/z/1.0.0")).orElseThrow().name());
        assertEquals("peer:" + a, snapshot.peer(a).orElseThrow().name());
        assertTrue(snapshot.service("c").isEmpty());
    }

    @Test
    void peersAreSortedByTheirRawBytesNotTheirText() {
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            peers.add(PeerId.random());
        }
        // A sha2-256 id (0x12 0x20 ...) among the identity-hash ones (0x00 0x24 ...).
        peers.add(PeerId.fromBytes(new byte[] {0x12, 0x20, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
            15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}));
        List<ScopeSnapshot> scopes = new ArrayList<>();
        for (PeerId p : peers) {
            scopes.add(scope("peer:" + p, ScopeKind.PEER));
        }
        List<PeerId> listed = new ResourceSnapshot(Instant.EPOCH, scopes).peers();

        List<PeerId> byBytes = new ArrayList<>(peers);
        byBytes.sort((x, y) -> Arrays.compareUnsigned(x.toBytes(), y.toBytes()));
        assertEquals(byBytes, listed);
    }

    @Test
    void namesSortByUtf8BytesAsGoSortsStrings() {
        // U+FF5E is one UTF-16 unit above the surrogates; U+1F600 is a surrogate pair. UTF-16 order puts
        // the emoji first, UTF-8 (code point) order puts it last, as go does.
        String fullwidth = "svc-\uff5e";
        String emoji = "svc-\ud83d\ude00";
        ResourceSnapshot snapshot = new ResourceSnapshot(Instant.EPOCH, List.of(
                scope("service:" + emoji, ScopeKind.SERVICE),
                scope("service:" + fullwidth, ScopeKind.SERVICE),
                scope("service:svc", ScopeKind.SERVICE)));
        assertTrue(emoji.compareTo(fullwidth) < 0, "UTF-16 order differs from go's here");
        assertEquals(List.of("svc", fullwidth, emoji), snapshot.services());
    }
}
