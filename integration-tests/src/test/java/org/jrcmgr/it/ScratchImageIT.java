package org.jrcmgr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.ContainerNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.it.fixture.EchoFixture;
import org.jrcmgr.it.support.RequiresDocker;
import org.jrcmgr.it.support.ScratchJavaImage;
import org.jrcmgr.it.support.TestJars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.WaitingConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Proves the container infrastructure the storms stand on, with a fixture instead of the node: a
 * Java program packaged at test time runs in an image built {@code FROM scratch}; two containers
 * get their own addresses on a network the test creates; the host reaches each through its mapped
 * port; one container reaches the other by its network alias, and the other sees the first one's
 * own address as the source, which is what per-IP limits will be tested on.
 */
@RequiresDocker
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ScratchImageIT {

    private static final int PORT = 7000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, Long> TIMINGS_MS = new LinkedHashMap<>();

    @TempDir
    static Path tmp;

    @Test
    void twoContainersTalkByAliasAndTheHostReachesBothThroughMappedPorts() throws Exception {
        long t0 = System.nanoTime();
        Path jar = TestJars.jarOf(tmp.resolve("echo-fixture.jar"), EchoFixture.class);
        ScratchJavaImage image = fixtureImage(jar);
        long t1 = System.nanoTime();
        String imageName = image.resolve();
        long t2 = System.nanoTime();
        TIMINGS_MS.put("jar + jlink runtime + libraries (0 when cached on disk)", ms(t0, t1));
        TIMINGS_MS.put("docker image build", ms(t1, t2));
        long imageBytes = DockerClientFactory.instance().client().inspectImageCmd(imageName).exec().getSize();
        assertTrue(imageBytes < 120L << 20, "a scratch image with a jlink runtime stays small: " + imageBytes);

        try (Network net = Network.newNetwork();
             GenericContainer<?> a = server(image, net, "echo-a", "echo-b");
             GenericContainer<?> b = server(image, net, "echo-b", "echo-a")) {
            WaitingConsumer aLog = new WaitingConsumer();
            long t3 = System.nanoTime();
            a.start();
            long t4 = System.nanoTime();
            b.start();
            long t5 = System.nanoTime();
            a.followOutput(aLog, OutputFrame.OutputType.STDOUT);
            TIMINGS_MS.put("container start to READY (echo-a, first)", ms(t3, t4));
            TIMINGS_MS.put("container start to READY (echo-b)", ms(t4, t5));

            String ipA = addressOn(a, net);
            String ipB = addressOn(b, net);
            assertNotEquals(ipA, ipB, "each container has its own address");

            // Host -> container, through the port Testcontainers mapped on localhost.
            assertEquals("hello a", exchange(a, "hello a"));
            assertEquals("hello b", exchange(b, "hello b"));
            // Mapped-port traffic arrives from the bridge's gateway, not from a container's address.
            String seenFromHost = exchange(a, "WHO");
            assertTrue(seenFromHost.startsWith("echo-a SEEN "), seenFromHost);
            assertNotEquals("echo-a SEEN " + ipB, seenFromHost);

            // Container -> container by alias: b dials a, a echoes, b reports a's resolved address.
            assertEquals("PEER echo-a " + ipA + " hello from b", exchange(b, "DIAL echo-a " + PORT + " hello from b"));
            // ...and a saw b's own address as the source of that connection.
            aLog.waitUntil(frame -> frame.getUtf8String().contains("ACCEPT echo-a from " + ipB), 10, TimeUnit.SECONDS);

            // A one-shot container (the shape of a storm client): runs, reports, exits 0.
            long t6 = System.nanoTime();
            try (GenericContainer<?> c = new GenericContainer<>(image.image())
                    .withNetwork(net)
                    .withCommand("client", "echo-b", String.valueOf(PORT), "hi from c")
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(START_TIMEOUT))) {
                c.start();
                TIMINGS_MS.put("one-shot client container, start to exit", ms(t6, System.nanoTime()));
                assertTrue(c.getLogs().contains("CLIENT-OK hi from c"), c.getLogs());
            }
        }
        TIMINGS_MS.put("image size (MB)", imageBytes / 1_000_000);
    }

    @Test
    void theRuntimeAndImageAreMadeOncePerRun() throws Exception {
        Path jar = TestJars.jarOf(tmp.resolve("echo-fixture-2.jar"), EchoFixture.class);
        ScratchJavaImage first = fixtureImage(jar);
        ScratchJavaImage second = fixtureImage(jar);
        assertSame(first.image(), second.image(), "same content, same image future");
        assertEquals(first.rootfs(), second.rootfs());
        Path rootfs = first.rootfs();
        for (String file : List.of("opt/java/bin/java", "opt/java/lib/server/libjvm.so",
                "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libstdc++.so.6",
                "lib/x86_64-linux-gnu/libz.so.1", "tmp/.keep")) {
            assertTrue(Files.exists(rootfs.resolve(file)), "rootfs has " + file);
        }
        assertTrue(Files.isExecutable(rootfs.resolve("opt/java/bin/java")));
        assertTrue(!Files.isSymbolicLink(rootfs.resolve("lib/x86_64-linux-gnu/libstdc++.so.6")),
                "libraries are copied as files, not as links to the host");
    }

    @AfterAll
    static void printTimings() {
        StringBuilder table = new StringBuilder("\n[jrcmgr-it] ScratchImageIT timings\n");
        TIMINGS_MS.forEach((what, value) -> table.append(String.format("  %-58s %6d%n", what, value)));
        System.out.print(table);
    }

    private static ScratchJavaImage fixtureImage(Path jar) {
        return ScratchJavaImage.builder("echo-fixture")
                .classpath(jar)
                .mainClass(EchoFixture.class.getName())
                .jvmArgs("-Xmx32m")
                .build();
    }

    private static GenericContainer<?> server(ScratchJavaImage image, Network net, String alias, String peerAlias) {
        return new GenericContainer<>(image.image())
                .withNetwork(net)
                .withNetworkAliases(alias)
                .withExposedPorts(PORT)
                .withCommand("server", alias, String.valueOf(PORT), "240", peerAlias + ":" + PORT)
                // No shell in the image, so wait on the fixture's own line rather than a port probe.
                .waitingFor(Wait.forLogMessage(".*READY " + alias + " .*\\n", 1).withStartupTimeout(START_TIMEOUT));
    }

    private static String addressOn(GenericContainer<?> container, Network net) {
        List<String> found = new ArrayList<>();
        for (ContainerNetwork n : container.getContainerInfo().getNetworkSettings().getNetworks().values()) {
            if (net.getId().equals(n.getNetworkID())) {
                found.add(n.getIpAddress());
            }
        }
        assertEquals(1, found.size(), "one address on the test's network: " + found);
        return found.get(0);
    }

    private static String exchange(GenericContainer<?> container, String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(container.getHost(), container.getMappedPort(PORT)), 10_000);
            socket.setSoTimeout(10_000);
            PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
            out.println(line);
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (reply == null) {
                throw new IOException(container.getNetworkAliases() + " closed without answering " + line);
            }
            return reply;
        }
    }

    private static long ms(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
