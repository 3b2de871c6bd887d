package org.jrcmgr.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.node.protocol.Protocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(String... args) throws InterruptedException {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void stormPrintsJsonThatTestsCanParse() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node target = nodes.start("target", TestNodes.base());
            String address = "127.0.0.1:" + target.listenAddress().getPort();
            assertEquals(0, main("storm", "--target", address, "--conns", "3", "--streams", "2",
                    "--protocol", "/echo/1.0.0,/slow/1.0.0", "--slow-hold", "100ms", "--duration", "20s", "--json"));
            JsonNode json = StateJson.mapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals(3, json.path("connections").path("attempted").asLong());
            assertEquals(3, json.path("connections").path("admitted").asLong());
            assertEquals(6, json.path("streams").path("completed").asLong());
            assertTrue(json.path("consistent").asBoolean());
            TestNodes.assertIdle(target);
        }
    }

    @Test
    void stormAsSeveralPeersGetsPastThePerPeerLimit() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node target = nodes.start("target", TestNodes.base()); // 8 connections per peer
            String address = "127.0.0.1:" + target.listenAddress().getPort();
            assertEquals(0, main("storm", "--target", address, "--conns", "12", "--streams", "0", "--hold", "1s",
                    "--json"));
            JsonNode one = StateJson.mapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals(8, one.path("connections").path("admitted").asLong());
            assertEquals(4, one.path("connections").path("refusedByReason").path("scope:peer").asLong());
            out.reset();
            assertEquals(0, main("storm", "--target", address, "--conns", "12", "--streams", "0", "--hold", "1s",
                    "--identities", "3", "--json"));
            JsonNode three = StateJson.mapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals(12, three.path("connections").path("admitted").asLong(), three.toPrettyString());
            TestNodes.assertIdle(target);
        }
    }

    @Test
    void stormTableForPeople() throws Exception {
        try (TestNodes nodes = new TestNodes()) {
            Node target = nodes.start("target", TestNodes.base());
            assertEquals(0, main("storm", "--target", "127.0.0.1:" + target.listenAddress().getPort(),
                    "--conns=2", "--streams=1"));
            String table = out.toString(StandardCharsets.UTF_8);
            assertTrue(table.contains("attempted") && table.contains("counts add up"), table);
        }
    }

    @Test
    void badUsageExitsWithTwo() throws Exception {
        assertEquals(2, main("storm"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--target"));
        assertEquals(2, main("run", "--bogus"));
        assertEquals(2, main("frobnicate"));
        assertEquals(2, main("storm", "--target", "x:1", "--conns", "many"));
        assertEquals(0, main("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: java -jar jrcmgr-node.jar"));
    }

    @Test
    void runOptionsBecomeTheNodeConfig(@TempDir Path dir) throws Exception {
        Path limits = dir.resolve("limits.json");
        Files.writeString(limits, "{\"System\": {\"ConnsInbound\": 3}, \"PeerDefault\": {\"ConnsInbound\": 2}}");
        String[] args = {"run", "--listen", "0.0.0.0:4101", "--name", "t", "--limits", limits.toString(),
                "--allow", "/ip4/10.0.0.0/ipcidr/8,/ip4/192.0.2.1/ipcidr/32", "--conns-per-ip", "3",
                "--conn-rate", "1.5:20", "--control-host", "0.0.0.0", "--control-port", "9100", "--slow-max", "5s"};
        NodeConfig c = Main.nodeConfig(Options.parse(args, 1, Set.of("listen", "name", "limits", "allow",
                "conns-per-ip", "conn-rate", "control-host", "control-port", "io-threads", "slow-max", "trace",
                "log-level"), Set.of("limit-loopback")));
        assertEquals("0.0.0.0", c.listenHost());
        assertEquals(4101, c.listenPort());
        assertEquals(3, c.limits().system().connsInbound().capacity());
        assertEquals(2, c.limits().peerDefault().connsInbound().capacity());
        assertEquals(List.of(Multiaddr.parse("/ip4/10.0.0.0/ipcidr/8"), Multiaddr.parse("/ip4/192.0.2.1/ipcidr/32")),
                c.allowlist());
        assertEquals(3, c.connLimits().subnetLimitsV4().get(0).connCount().capacity());
        assertEquals(1, c.connLimits().networkPrefixLimitsV4().size(), "loopback stays exempt");
        assertEquals("0.0.0.0", c.controlHost());
        assertEquals(9100, c.controlPort());
        assertEquals(Duration.ofSeconds(5), c.slowMaxHold());
        assertEquals(Protocols.SLOW.value(), "/slow/1.0.0");
    }
}
