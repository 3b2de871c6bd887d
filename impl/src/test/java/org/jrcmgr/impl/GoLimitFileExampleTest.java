package org.jrcmgr.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.limit.LimitConfigJson;
import org.jrcmgr.impl.limit.SystemBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples of bringing a go-libp2p limit file and of autoscaling, compiled and run. */
class GoLimitFileExampleTest {

    // tag::go-limit-file[]
    static ResourceManager fromGoLimitFile(Path limitFile) throws IOException {
        // A go-libp2p node's limit file, unchanged; what it leaves out comes from the scaled defaults.
        ConcreteLimitConfig limits = LimitConfigJson.load(limitFile, DefaultLimits.defaults().autoScale());
        return ResourceManagerBuilder.create().limits(limits).build();
    }
    // end::go-limit-file[]

    static String whatAutoscalingChose() {
        // tag::autoscale[]
        SystemBudget budget = SystemBudget.detect();
        return budget.describe();
        // end::autoscale[]
    }

    @Test
    void aGoLimitFileConfiguresTheManager(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.json");
        Files.writeString(file, """
                {
                  "System":  { "StreamsOutbound": "unlimited", "Memory": "1073741824" },
                  "PeerDefault": { "ConnsInbound": 4 },
                  "Protocol": { "/ipfs/ping/1.0.0": { "StreamsInbound": 16 } }
                }
                """);
        try (ResourceManager rcmgr = fromGoLimitFile(file)) {
            var system = rcmgr.snapshot().scope("system").orElseThrow().limit();
            assertEquals(LimitValue.unlimited(), system.streamsOutbound());
            assertEquals(LimitValue.of(1L << 30), system.memory());
            assertEquals(LimitValue.of(4), rcmgr.viewPeer(PeerId.random(), p -> p.limit().conns(org.jrcmgr.Direction.INBOUND)));
            assertEquals(LimitValue.of(16), rcmgr.viewProtocol(ProtocolId.of("/ipfs/ping/1.0.0"),
                    p -> p.limit().streams(org.jrcmgr.Direction.INBOUND)));
        }
    }

    @Test
    void autoscalingSaysWhatItChose() {
        String description = whatAutoscalingChose();
        assertTrue(description.startsWith("memory budget "), description);
        assertTrue(description.contains("fd budget"), description);
    }
}
