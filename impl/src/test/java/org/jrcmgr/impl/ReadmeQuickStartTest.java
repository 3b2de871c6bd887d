package org.jrcmgr.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceManagers;
import org.jrcmgr.StreamManagementScope;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start is this file's {@code quickStart} method, word for word
 * ({@link ReadmeSnippetsTest} compares them); this test runs it.
 */
class ReadmeQuickStartTest {

    static void quickStart(PrintStream out) {
        // tag::quickstart[]
        try (ResourceManager rcmgr = ResourceManagers.create()) {
            PeerId remote = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");
            // A transport admits each connection before doing any work for it...
            try (ConnManagementScope conn = rcmgr.openConnection(Direction.INBOUND, true,
                    Multiaddr.parse("/ip4/192.0.2.7/tcp/4001"))) {
                // ...and moves it to its peer once the handshake has named the peer.
                conn.setPeer(remote);
                try (StreamManagementScope stream = rcmgr.openStream(remote, Direction.INBOUND)) {
                    stream.setProtocol(ProtocolId.of("/echo/1.0.0"));
                    stream.reserveMemory(64 * 1024, ReservationPriority.HIGH);
                    out.println(rcmgr.snapshot().scope("system").orElseThrow().usage());
                } // closing a scope gives back everything it holds
            } catch (ResourceLimitExceededException refused) {
                out.println("refused: " + refused.getMessage());
            }
            out.println(rcmgr.snapshot().scope("system").orElseThrow().usage());
        }
        // end::quickstart[]
    }

    @Test
    void quickStartRunsAndGivesEverythingBack() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        quickStart(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "ScopeStat[streamsInbound=1, streamsOutbound=0, connsInbound=1, connsOutbound=0, fd=1, memory=65536]",
                "ScopeStat[streamsInbound=0, streamsOutbound=0, connsInbound=0, connsOutbound=0, fd=0, memory=0]"),
                lines);
    }

}
