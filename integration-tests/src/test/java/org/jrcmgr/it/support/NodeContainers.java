package org.jrcmgr.it.support;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * The node under test in containers: one image for every container (the node's jar and its
 * dependencies, as Maven copied them to {@code target/node-lib}, on a jlink runtime {@code FROM
 * scratch}), and factories for the two kinds of container the scenarios use.
 *
 * <ul>
 *   <li>{@link #node}: {@code run}, listening on {@code 0.0.0.0:4001} of its own address on the
 *       test's network, its control endpoint on {@code 0.0.0.0:8080} mapped to the host (the only
 *       traffic from the host: reading the endpoint through {@code localhost}).</li>
 *   <li>{@link #storm}: {@code storm --json}, a one-shot container that dials other containers on
 *       the test's network by alias; its storm is bounded in count and time by its arguments, and
 *       {@link #awaitExit} bounds the wait for it.</li>
 * </ul>
 */
public final class NodeContainers {

    /** The node's main class. */
    public static final String MAIN_CLASS = "org.jrcmgr.node.Main";
    /** The port every node listens on, on its own address. */
    public static final int PORT = 4001;
    /** The port of every node's control endpoint. */
    public static final int CONTROL_PORT = 8080;
    /** Where a node's limit file is copied. */
    public static final String LIMITS_PATH = "/tmp/limits.json";
    /** System property (set by Failsafe) naming the directory of the node's class path. */
    public static final String NODE_LIB_PROPERTY = "jrcmgr.it.nodeLib";

    /**
     * Per-container JVM flags: a small heap (many JVMs share this machine) and C1 only (short-lived
     * JVMs on two cores spend less time compiling).
     */
    public static final String JAVA_TOOL_OPTIONS = "-Xmx96m -XX:TieredStopAtLevel=1 -Xss512k";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static volatile ScratchJavaImage image;

    private NodeContainers() {
    }

    /**
     * The node's image, described once per test JVM (and so built once: every container of every
     * scenario uses it).
     *
     * @return the image
     */
    public static ScratchJavaImage image() {
        ScratchJavaImage i = image;
        if (i == null) {
            synchronized (NodeContainers.class) {
                i = image;
                if (i == null) {
                    i = ScratchJavaImage.builder("jrcmgr-node")
                            .classpath(nodeClassPath())
                            .mainClass(MAIN_CLASS)
                            .jvmArgs(ScratchJavaImage.chronicleJvmFlags())
                            .build();
                    image = i;
                }
            }
        }
        return i;
    }

    /** The node's jar first, then its dependencies, as copied by Maven before the tests. */
    static List<Path> nodeClassPath() {
        String dir = System.getProperty(NODE_LIB_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("system property " + NODE_LIB_PROPERTY + " is not set: run the"
                    + " integration tests through Maven (mvn verify), which copies the node's class path first");
        }
        Path lib = Paths.get(dir);
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith("jrcmgr-node-"))
                            .thenComparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the node's class path in " + lib, e);
        }
        if (jars.isEmpty() || !jars.get(0).getFileName().toString().startsWith("jrcmgr-node-")) {
            throw new IllegalStateException("no jrcmgr-node jar in " + lib + ": " + jars);
        }
        return jars;
    }

    /**
     * A node that runs until the test closes it.
     *
     * @param net        the test's network
     * @param alias      its name on the network (and in its logs)
     * @param limitsJson a go-libp2p limit file's text, or null for autoscaled limits
     * @param options    further {@code run} options ({@code --allow}, {@code --conns-per-ip}, ...)
     * @return the container, not started
     */
    public static GenericContainer<?> node(Network net, String alias, String limitsJson, String... options) {
        return node(net, List.of(), alias, limitsJson, options);
    }

    /**
     * A node on several networks under the same alias: {@code net} and each of {@code alsoOn}, joined
     * once the container is created and before it starts, so that the node and its mapped control
     * port come up on every network at once (joining a running container's to a network can break
     * the host's connection to its mapped ports for a moment).
     *
     * @param net        the first network
     * @param alsoOn     further networks
     * @param alias      its name on every network (and in its logs)
     * @param limitsJson a go-libp2p limit file's text, or null for autoscaled limits
     * @param options    further {@code run} options
     * @return the container, not started
     */
    public static GenericContainer<?> node(Network net, List<Network> alsoOn, String alias, String limitsJson,
                                           String... options) {
        List<String> command = new ArrayList<>(List.of("run", "--name", alias, "--listen", "0.0.0.0:" + PORT,
                "--control-host", "0.0.0.0", "--control-port", String.valueOf(CONTROL_PORT)));
        if (limitsJson != null) {
            command.addAll(List.of("--limits", LIMITS_PATH));
        }
        command.addAll(List.of(options));
        GenericContainer<?> c = new MultiNetworkContainer(alsoOn, alias)
                .withNetwork(net)
                .withNetworkAliases(alias)
                .withExposedPorts(CONTROL_PORT)
                .withEnv("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS)
                .withCommand(command.toArray(new String[0]))
                // No shell in the image: wait for the one line the node prints once it listens.
                .waitingFor(Wait.forLogMessage(".*jrcmgr-node " + alias + " ready: .*\\n", 1)
                        .withStartupTimeout(START_TIMEOUT));
        if (limitsJson != null) {
            c.withCopyToContainer(Transferable.of(limitsJson.getBytes(StandardCharsets.UTF_8)), LIMITS_PATH);
        }
        return c;
    }

    /**
     * A one-shot storm: {@code storm --json} with {@code options} ({@code --target}, {@code --conns},
     * {@code --duration}, ...). {@link GenericContainer#start()} returns as soon as it runs; wait for
     * its report with {@link #awaitExit} and {@link StormResult#of}.
     *
     * @param net     the test's network (null when {@code withNetworkMode} puts it elsewhere)
     * @param name    its name in its report and logs
     * @param options {@code storm} options
     * @return the container, not started
     */
    public static GenericContainer<?> storm(Network net, String name, String... options) {
        List<String> command = new ArrayList<>(List.of("storm", "--json", "--name", name));
        command.addAll(List.of(options));
        GenericContainer<?> c = new GenericContainer<>(image().image())
                .withEnv("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS)
                .withCommand(command.toArray(new String[0]))
                .waitingFor(new NoWait());
        if (net != null) {
            c.withNetwork(net);
        }
        return c;
    }

    /**
     * Waits until a container exits, at most {@code timeout}.
     *
     * @return its exit code
     * @throws AssertionError if it still runs then
     */
    public static long awaitExit(GenericContainer<?> c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse.ContainerState state = DockerClientFactory.instance().client()
                    .inspectContainerCmd(c.getContainerId()).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                Long code = state.getExitCodeLong();
                return code == null ? -1 : code;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("container " + c.getContainerName() + " still runs after " + timeout
                        + "; its output so far:\n" + tail(c.getLogs(), 40));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * The container's address on {@code net}.
     *
     * @return an IPv4 address
     */
    public static String addressOn(GenericContainer<?> c, Network net) {
        for (ContainerNetwork n : DockerClientFactory.instance().client().inspectContainerCmd(c.getContainerId())
                .exec().getNetworkSettings().getNetworks().values()) {
            if (net.getId().equals(n.getNetworkID())) {
                return n.getIpAddress();
            }
        }
        throw new AssertionError(c.getContainerName() + " has no address on network " + net.getId());
    }

    /**
     * The subnet Docker gave {@code net}, such as {@code 172.19.0.0/16}.
     *
     * @return the first IPv4 subnet of the network
     */
    public static String subnetOf(Network net) {
        com.github.dockerjava.api.model.Network n = DockerClientFactory.instance().client()
                .inspectNetworkCmd().withNetworkId(net.getId()).exec();
        for (com.github.dockerjava.api.model.Network.Ipam.Config config : n.getIpam().getConfig()) {
            if (config.getSubnet() != null && config.getSubnet().contains(".")) {
                return config.getSubnet();
            }
        }
        throw new AssertionError("network " + net.getId() + " has no IPv4 subnet: " + n.getIpam().getConfig());
    }

    /** Standard output only (the storm's JSON report), without the JVM's and loggers' stderr. */
    public static String stdout(GenericContainer<?> c) {
        return c.getLogs(OutputFrame.OutputType.STDOUT);
    }

    /** The last {@code lines} lines of {@code text}. */
    public static String tail(String text, int lines) {
        String[] all = text.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            b.append(all[i]).append('\n');
        }
        return b.toString();
    }

    /** A container that joins further networks between its creation and its start. */
    private static final class MultiNetworkContainer extends GenericContainer<MultiNetworkContainer> {
        private final List<Network> alsoOn;
        private final String alias;

        MultiNetworkContainer(List<Network> alsoOn, String alias) {
            super(image().image());
            this.alsoOn = List.copyOf(alsoOn);
            this.alias = alias;
        }

        @Override
        protected void containerIsCreated(String containerId) {
            for (Network n : alsoOn) {
                DockerClientFactory.instance().client().connectToNetworkCmd()
                        .withContainerId(containerId).withNetworkId(n.getId())
                        .withContainerNetwork(new ContainerNetwork().withAliases(alias)).exec();
            }
        }
    }

    /** Starts a container only: a storm has no port or line to wait for, and {@link #awaitExit} bounds it. */
    private static final class NoWait extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
        }
    }
}
