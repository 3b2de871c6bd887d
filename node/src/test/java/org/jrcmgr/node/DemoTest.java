package org.jrcmgr.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.node.demo.Demo;
import org.jrcmgr.node.demo.DemoLimits;
import org.jrcmgr.node.demo.DemoReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class DemoTest {

    @Test
    void demoRunsToCompletionAndEverythingGoesBackToZero() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DemoReport report = Demo.run(new Demo.Config(Duration.ofSeconds(2), out, false, Duration.ofMillis(500)));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(report.refusedSomething(), text);
        assertTrue(report.withinLimits(), text);
        assertTrue(report.backToZero(), text);
        assertTrue(report.storm().consistent(), text);
        assertTrue(report.ok(), text);
        assertTrue(text.contains("RESULT: OK"), text);
        assertTrue(text.contains("== Back to zero =="), text);
        assertTrue(text.contains("alpha  scopes: all"), text);
        assertTrue(text.contains("0 live, 0 bytes live, 0 reserved, 0 native (balanced)"), text);
        assertTrue(text.contains("no peak above its limit"), text);
        assertTrue(text.contains("system: conns in"), "plain status lines: " + text);
    }

    @Test
    void demoLimitsPassThePolicyLint() {
        assertTrue(ResourceManagerBuilder.create().limits(DemoLimits.target()).lint().isEmpty(),
                () -> ResourceManagerBuilder.create().limits(DemoLimits.target()).lint().toString());
    }
}
