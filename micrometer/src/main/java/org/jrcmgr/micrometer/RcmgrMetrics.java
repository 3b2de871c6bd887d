package org.jrcmgr.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;

/**
 * go-libp2p's resource-manager metrics ({@code libp2p_rcmgr_*}) for one jrcmgr manager, published
 * through Micrometer with go's names, labels and histogram buckets, so that a Prometheus scrape of a
 * JVM node feeds go-libp2p's Grafana dashboards unchanged.
 *
 * <p>It is both the manager's {@link ScopeObserver} and a {@link MeterBinder}:
 *
 * <pre>{@code
 * RcmgrMetrics metrics = new RcmgrMetrics();
 * metrics.bindTo(prometheusRegistry);
 * ResourceManager rm = ResourceManagerBuilder.create().limits(limits).observer(metrics).build();
 * }</pre>
 *
 * <p>What is published, as scraped from Micrometer's Prometheus registry:
 * <table>
 * <caption>metrics</caption>
 * <tr><th>name</th><th>type</th><th>labels</th><th>value</th></tr>
 * <tr><td>{@value #CONNECTIONS}</td><td>gauge</td><td>dir, scope (system, transient)</td>
 *     <td>the scope's connections</td></tr>
 * <tr><td>{@value #PEER_CONNECTIONS}, {@value #PREVIOUS_PEER_CONNECTIONS}</td><td>histogram 1..10, 16..256</td>
 *     <td>dir</td><td>a peer's new and old connection count, observed when it changes</td></tr>
 * <tr><td>{@value #STREAMS}</td><td>gauge</td><td>dir, scope (system, transient, protocol), protocol</td>
 *     <td>the scope's streams; protocol is "" except for protocol scopes</td></tr>
 * <tr><td>{@value #PEER_STREAMS}, {@value #PREVIOUS_PEER_STREAMS}</td><td>histogram 1..10, 16..256</td>
 *     <td>dir</td><td>a peer's new and old stream count</td></tr>
 * <tr><td>{@value #MEMORY}</td><td>gauge</td><td>scope, protocol</td><td>the scope's reserved bytes</td></tr>
 * <tr><td>{@value #PEER_MEMORY}, {@value #PREVIOUS_PEER_MEMORY}, {@value #CONN_MEMORY},
 *     {@value #PREVIOUS_CONN_MEMORY}</td><td>histogram 1 KiB .. 4 GiB</td><td>none</td>
 *     <td>a peer's or connection's new and old reserved bytes</td></tr>
 * <tr><td>{@value #FDS}</td><td>gauge</td><td>scope (system, transient)</td><td>the scope's descriptors</td></tr>
 * <tr><td>{@value #BLOCKED_RESOURCES}</td><td>gauge, only ever increased</td>
 *     <td>dir (inbound, outbound, ""), scope, resource (connection, stream, memory, fd)</td>
 *     <td>refused connections, streams, descriptors and bytes per refusing scope class</td></tr>
 * <tr><td>{@value #LIMIT}</td><td>gauge</td><td>scope (system, transient), resource (memory, fd, conns,
 *     conns_inbound, conns_outbound, streams, streams_inbound, streams_outbound)</td>
 *     <td>the configured limit; unlimited is {@code Long.MAX_VALUE} as a double, as go exports
 *     {@code MaxInt64}; block-all is 0</td></tr>
 * </table>
 *
 * <p>Differences from go-libp2p, all harmless to its dashboards: Micrometer's Prometheus registry
 * also writes a {@code <histogram>_max} gauge next to every histogram, prints bucket bounds as
 * {@code le="1.0"} where go prints {@code le="1"} (Prometheus 3 normalises both to the same value),
 * and orders labels alphabetically. A span's memory is not observed as another peer's or
 * connection's memory (go counts it twice, once for the span and once for its owner).
 *
 * <p><b>One instance per manager.</b> The instance learns its manager's system and transient scopes
 * when the manager creates them, so install it when building the manager; the state is the
 * instance's own, nothing is process-global. Bind it to any number of registries; to share one
 * registry between several managers, give each instance a distinguishing tag (for example
 * {@code Tags.of("instance", "node-a")}): instances with the same tags would share series.
 * Histograms record only into registries bound at the time, so bind before traffic starts;
 * gauges read the manager's live counters when scraped. {@link #close()}, which closing the manager
 * calls, removes every series from every registry and turns the observer into a no-op.
 *
 * <p>The observer callbacks allocate nothing: gauges read the scopes when scraped, histogram
 * observations go straight to the bound distribution summaries, and a refusal adds to a cell found
 * through fixed tables. Only the first event of a kind (a new protocol, the first refusal of a
 * label combination) allocates, to register its series, and a refused transfer reads the moved
 * scope's stat.
 */
public final class RcmgrMetrics implements ScopeObserver, MeterBinder, AutoCloseable {

    /** Connections in the system and transient scopes. */
    public static final String CONNECTIONS = "libp2p_rcmgr_connections";
    /** A peer's connection count, observed whenever it changes. */
    public static final String PEER_CONNECTIONS = "libp2p_rcmgr_peer_connections";
    /** A peer's connection count before it changed. */
    public static final String PREVIOUS_PEER_CONNECTIONS = "libp2p_rcmgr_previous_peer_connections";
    /** Streams in the system, transient and protocol scopes. */
    public static final String STREAMS = "libp2p_rcmgr_streams";
    /** A peer's stream count, observed whenever it changes. */
    public static final String PEER_STREAMS = "libp2p_rcmgr_peer_streams";
    /** A peer's stream count before it changed. */
    public static final String PREVIOUS_PEER_STREAMS = "libp2p_rcmgr_previous_peer_streams";
    /** Memory reserved in the system, transient and protocol scopes. */
    public static final String MEMORY = "libp2p_rcmgr_memory";
    /** A peer's reserved memory, observed whenever it changes. */
    public static final String PEER_MEMORY = "libp2p_rcmgr_peer_memory";
    /** A peer's reserved memory before it changed. */
    public static final String PREVIOUS_PEER_MEMORY = "libp2p_rcmgr_previous_peer_memory";
    /** A connection's reserved memory, observed whenever it changes. */
    public static final String CONN_MEMORY = "libp2p_rcmgr_conn_memory";
    /** A connection's reserved memory before it changed. */
    public static final String PREVIOUS_CONN_MEMORY = "libp2p_rcmgr_previous_conn_memory";
    /** File descriptors in the system and transient scopes. */
    public static final String FDS = "libp2p_rcmgr_fds";
    /** Refused connections, streams, descriptors and bytes; only ever increases. */
    public static final String BLOCKED_RESOURCES = "libp2p_rcmgr_blocked_resources";
    /** The limits of the system and transient scopes. */
    public static final String LIMIT = "libp2p_rcmgr_limit";

    /** go's {@code oneTenThenExpDistributionBuckets}. */
    private static final double[] COUNT_BUCKETS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 32, 64, 128, 256};
    /** go's {@code memDistribution}. */
    private static final double[] MEMORY_BUCKETS = {
        1 << 10, 4 << 10, 32 << 10, 1 << 20, 32 << 20, 256 << 20, 512 << 20, 1L << 30, 2L << 30, 4L << 30,
    };

    private static final String[] LIMIT_SCOPES = {"system", "transient"};
    private static final String[] LIMIT_RESOURCES = {
        "memory", "fd", "conns", "conns_inbound", "conns_outbound", "streams", "streams_inbound", "streams_outbound",
    };
    private static final Resource[] LIMIT_RESOURCE_VALUES = {
        Resource.MEMORY, Resource.FD, Resource.CONNS, Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND,
        Resource.STREAMS, Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND,
    };
    private static final String PROTOCOL_PREFIX = "protocol:";
    private static final Set<String> GO_LABELS = Set.of("dir", "scope", "protocol", "resource", "le");

    private static final VarHandle PROTOCOL_SCOPE;

    static {
        try {
            PROTOCOL_SCOPE = MethodHandles.lookup().findVarHandle(ProtocolSeries.class, "scope", ObservedScope.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Tags tags;
    private final Object lock = new Object();
    /** Every series that exists, in the order registered; guarded by lock. */
    private final List<Registration> registrations = new ArrayList<>();
    /** The registries bound to and what was registered in each; guarded by lock. */
    private final Map<MeterRegistry, List<Meter>> bound = new IdentityHashMap<>();
    private final List<Histogram> histograms = new ArrayList<>();
    private volatile boolean closed;

    private volatile ObservedScope system;
    private volatile ObservedScope transientScope;
    /** Protocol scopes by scope name; an entry outlives its scope, as go's series do. */
    private final ConcurrentHashMap<String, ProtocolSeries> protocols = new ConcurrentHashMap<>();

    private final Histogram peerConnsIn;
    private final Histogram peerConnsOut;
    private final Histogram previousPeerConnsIn;
    private final Histogram previousPeerConnsOut;
    private final Histogram peerStreamsIn;
    private final Histogram peerStreamsOut;
    private final Histogram previousPeerStreamsIn;
    private final Histogram previousPeerStreamsOut;
    private final Histogram peerMemory;
    private final Histogram previousPeerMemory;
    private final Histogram connMemory;
    private final Histogram previousConnMemory;
    private final BlockedResources blocked = new BlockedResources(this::publish);

    /** Metrics with go-libp2p's labels only: for a registry that serves one manager. */
    public RcmgrMetrics() {
        this(Tags.empty());
    }

    /**
     * Metrics with {@code extraTags} added to every series, so several managers can share a
     * registry (for example {@code Tags.of("instance", "node-a")}).
     *
     * @param extraTags tags added to every series, next to go's labels
     * @throws IllegalArgumentException if a tag would replace one of go's labels ({@code dir},
     *                                  {@code scope}, {@code protocol}, {@code resource}, {@code le})
     */
    public RcmgrMetrics(Iterable<Tag> extraTags) {
        this.tags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"));
        for (Tag tag : tags) {
            if (GO_LABELS.contains(tag.getKey())) {
                // Tags.and would silently replace go's label, and the dashboards would read the wrong series.
                throw new IllegalArgumentException("the extra tag " + tag.getKey() + " would replace go-libp2p's label"
                        + " of the same name; use another name, such as instance");
            }
        }
        for (Direction dir : new Direction[] {Direction.INBOUND, Direction.OUTBOUND}) {
            String d = dirLabel(dir);
            for (String scope : LIMIT_SCOPES) {
                boolean sys = scope.equals("system");
                gauge(CONNECTIONS, "Number of Connections", this, Tags.of("dir", d, "scope", scope),
                        m -> m.stat(sys, s -> dir.isInbound() ? s.connsInbound() : s.connsOutbound()));
                gauge(STREAMS, "Number of Streams", this, Tags.of("dir", d, "scope", scope, "protocol", ""),
                        m -> m.stat(sys, s -> dir.isInbound() ? s.streamsInbound() : s.streamsOutbound()));
            }
        }
        for (String scope : LIMIT_SCOPES) {
            boolean sys = scope.equals("system");
            gauge(MEMORY, "Amount of memory reserved as reported to the Resource Manager", this,
                    Tags.of("scope", scope, "protocol", ""), m -> m.stat(sys, ScopeStat::memory));
            gauge(FDS, "Number of file descriptors reserved as reported to the Resource Manager", this,
                    Tags.of("scope", scope), m -> m.stat(sys, ScopeStat::fd));
        }
        for (String scope : LIMIT_SCOPES) {
            boolean sys = scope.equals("system");
            for (int r = 0; r < LIMIT_RESOURCES.length; r++) {
                Resource resource = LIMIT_RESOURCE_VALUES[r];
                gauge(LIMIT, "Limit of the resource in the scope", this,
                        Tags.of("scope", scope, "resource", LIMIT_RESOURCES[r]), m -> m.limit(sys, resource));
            }
        }
        peerConnsIn = histogram(PEER_CONNECTIONS, "Number of connections this peer has", "inbound", COUNT_BUCKETS);
        peerConnsOut = histogram(PEER_CONNECTIONS, "Number of connections this peer has", "outbound", COUNT_BUCKETS);
        String previousConns = "Number of connections this peer previously had. This is used to get the current"
                + " connection number per peer histogram by subtracting this from the peer_connections histogram";
        previousPeerConnsIn = histogram(PREVIOUS_PEER_CONNECTIONS, previousConns, "inbound", COUNT_BUCKETS);
        previousPeerConnsOut = histogram(PREVIOUS_PEER_CONNECTIONS, previousConns, "outbound", COUNT_BUCKETS);
        peerStreamsIn = histogram(PEER_STREAMS, "Number of streams this peer has", "inbound", COUNT_BUCKETS);
        peerStreamsOut = histogram(PEER_STREAMS, "Number of streams this peer has", "outbound", COUNT_BUCKETS);
        // go's help text for previous_peer_streams repeats peer_streams'; kept for identical scrapes.
        previousPeerStreamsIn = histogram(PREVIOUS_PEER_STREAMS, "Number of streams this peer has", "inbound",
                COUNT_BUCKETS);
        previousPeerStreamsOut = histogram(PREVIOUS_PEER_STREAMS, "Number of streams this peer has", "outbound",
                COUNT_BUCKETS);
        peerMemory = histogram(PEER_MEMORY,
                "How many peers have reserved this bucket of memory, as reported to the Resource Manager", null,
                MEMORY_BUCKETS);
        previousPeerMemory = histogram(PREVIOUS_PEER_MEMORY,
                "How many peers have previously reserved this bucket of memory, as reported to the Resource Manager",
                null, MEMORY_BUCKETS);
        connMemory = histogram(CONN_MEMORY,
                "How many conns have reserved this bucket of memory, as reported to the Resource Manager", null,
                MEMORY_BUCKETS);
        previousConnMemory = histogram(PREVIOUS_CONN_MEMORY,
                "How many conns have previously reserved this bucket of memory, as reported to the Resource Manager",
                null, MEMORY_BUCKETS);
    }

    // ---- MeterBinder ------------------------------------------------------------------------------

    /**
     * Registers every series in {@code registry}; series that appear later (a new protocol, a first
     * refusal) are registered in it too. Binding the same registry twice does nothing.
     *
     * @param registry where to publish
     * @throws IllegalStateException if these metrics are closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("these rcmgr metrics are closed");
            }
            if (bound.containsKey(registry)) {
                return;
            }
            List<Meter> meters = new ArrayList<>(registrations.size());
            for (Registration r : registrations) {
                meters.add(r.registerIn(registry));
            }
            bound.put(registry, meters);
        }
    }

    /**
     * Removes every series from every registry it was bound to and stops observing: the manager may
     * keep calling, nothing is recorded any more. Closing twice does nothing.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Histogram h : histograms) {
                h.clear();
            }
            for (Map.Entry<MeterRegistry, List<Meter>> e : bound.entrySet()) {
                for (Meter meter : e.getValue()) {
                    e.getKey().remove(meter);
                }
            }
            bound.clear();
        }
    }

    /** Registers a series in every registry bound now, and remembers it for those bound later. */
    private void add(Registration registration) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            registrations.add(registration);
            for (Map.Entry<MeterRegistry, List<Meter>> e : bound.entrySet()) {
                e.getValue().add(registration.registerIn(e.getKey()));
            }
        }
    }

    /**
     * A gauge reading {@code state} through {@code value} at scrape time. Micrometer keeps a weak
     * reference to {@code state}: the gauge lives as long as the manager keeps its observer.
     */
    private <T> void gauge(String name, String description, T state, Tags labels, ToDoubleFunction<T> value) {
        Tags all = labels.and(tags);
        add(registry -> Gauge.builder(name, state, value).description(description).tags(all).register(registry));
    }

    private Histogram histogram(String name, String description, String dir, double[] buckets) {
        Tags labels = dir == null ? tags : Tags.of("dir", dir).and(tags);
        Histogram h = new Histogram(name, description, labels, buckets);
        histograms.add(h);
        add(h::register);
        return h;
    }

    /** Registers a blocked-resources cell the first time it counts something. */
    private void publish(BlockedResources.Cell cell) {
        synchronized (lock) {
            if (cell.published || closed) {
                return;
            }
            cell.published = true;
            gauge(BLOCKED_RESOURCES, "Number of blocked resources", cell,
                    Tags.of("dir", cell.dir, "scope", cell.scope, "resource", cell.resource),
                    BlockedResources.Cell::value);
        }
    }

    // ---- gauge values -----------------------------------------------------------------------------

    private double stat(boolean ofSystem, ToDoubleFunction<ScopeStat> field) {
        ObservedScope scope = ofSystem ? system : transientScope;
        return scope == null ? Double.NaN : field.applyAsDouble(scope.stat());
    }

    private double limit(boolean ofSystem, Resource resource) {
        ObservedScope scope = ofSystem ? system : transientScope;
        if (scope == null) {
            return Double.NaN;
        }
        LimitValue value = scope.limit().get(resource);
        // go exports its int limits as float64, MaxInt64 for unlimited: capacity() is the same number.
        return value.capacity();
    }

    private static String dirLabel(Direction dir) {
        return dir.isInbound() ? "inbound" : "outbound";
    }

    // ---- ScopeObserver ----------------------------------------------------------------------------

    /**
     * Learns the manager's system and transient scopes, and starts the streams and memory series of
     * a protocol the first time its scope appears.
     */
    @Override
    public void scopeCreated(ObservedScope scope) {
        if (closed) {
            return;
        }
        switch (scope.kind()) {
            case SYSTEM -> {
                if (system == null) {
                    system = scope;
                }
            }
            case TRANSIENT -> {
                if (transientScope == null) {
                    transientScope = scope;
                }
            }
            case PROTOCOL -> protocolCreated(scope);
            default -> {
                // Other scopes are seen only through their events.
            }
        }
    }

    /** Lets go of a collected protocol scope; its series stay and read 0, as go's last update left them. */
    @Override
    public void scopeDestroyed(ObservedScope scope) {
        if (scope.kind() == ScopeKind.PROTOCOL) {
            ProtocolSeries series = protocols.get(scope.name());
            if (series != null) {
                PROTOCOL_SCOPE.compareAndSet(series, scope, (ObservedScope) null);
            }
        }
    }

    private void protocolCreated(ObservedScope scope) {
        String name = scope.name();
        ProtocolSeries series = protocols.get(name);
        if (series == null) {
            series = newProtocol(name);
        }
        series.scope = scope;
    }

    /** Creates a protocol's series; allocates, once per protocol. */
    private ProtocolSeries newProtocol(String scopeName) {
        ProtocolSeries created = new ProtocolSeries();
        ProtocolSeries raced = protocols.putIfAbsent(scopeName, created);
        if (raced != null) {
            return raced;
        }
        String protocol = scopeName.startsWith(PROTOCOL_PREFIX) ? scopeName.substring(PROTOCOL_PREFIX.length())
                : scopeName;
        gauge(STREAMS, "Number of Streams", created,
                Tags.of("dir", "inbound", "scope", "protocol", "protocol", protocol), ProtocolSeries::streamsIn);
        gauge(STREAMS, "Number of Streams", created,
                Tags.of("dir", "outbound", "scope", "protocol", "protocol", protocol), ProtocolSeries::streamsOut);
        gauge(MEMORY, "Amount of memory reserved as reported to the Resource Manager", created,
                Tags.of("scope", "protocol", "protocol", protocol), ProtocolSeries::memory);
        return created;
    }

    /** Feeds the peer and connection memory histograms. */
    @Override
    public void memoryReserved(ObservedScope scope, long size, ReservationPriority priority, long usage) {
        memoryChanged(scope, usage - size, usage);
    }

    /** Feeds the peer and connection memory histograms. */
    @Override
    public void memoryReleased(ObservedScope scope, long size, long usage) {
        memoryChanged(scope, usage + size, usage);
    }

    private void memoryChanged(ObservedScope scope, long before, long now) {
        if (closed) {
            return;
        }
        ScopeKind kind = scope.kind();
        if (kind == ScopeKind.PEER) {
            change(peerMemory, previousPeerMemory, before, now);
        } else if (kind == ScopeKind.CONNECTION) {
            change(connMemory, previousConnMemory, before, now);
        }
    }

    /** Feeds the peer stream histograms. */
    @Override
    public void streamsAdded(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        if (!closed && scope.kind() == ScopeKind.PEER) {
            change(peerStreamsIn, previousPeerStreamsIn, in - deltaIn, in);
            change(peerStreamsOut, previousPeerStreamsOut, out - deltaOut, out);
        }
    }

    /** Feeds the peer stream histograms. */
    @Override
    public void streamsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
        if (!closed && scope.kind() == ScopeKind.PEER) {
            change(peerStreamsIn, previousPeerStreamsIn, in + deltaIn, in);
            change(peerStreamsOut, previousPeerStreamsOut, out + deltaOut, out);
        }
    }

    /** Feeds the peer connection histograms. */
    @Override
    public void connsAdded(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                           long fd) {
        if (!closed && scope.kind() == ScopeKind.PEER) {
            change(peerConnsIn, previousPeerConnsIn, in - deltaIn, in);
            change(peerConnsOut, previousPeerConnsOut, out - deltaOut, out);
        }
    }

    /** Feeds the peer connection histograms. */
    @Override
    public void connsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                             long fd) {
        if (!closed && scope.kind() == ScopeKind.PEER) {
            change(peerConnsIn, previousPeerConnsIn, in + deltaIn, in);
            change(peerConnsOut, previousPeerConnsOut, out + deltaOut, out);
        }
    }

    /**
     * go's two-histogram trick: the new value goes to the histogram and the old one to "previous",
     * zeros to neither, so histogram minus previous is the distribution right now.
     */
    private static void change(Histogram current, Histogram previous, long before, long now) {
        if (before == now) {
            return;
        }
        if (before != 0) {
            previous.record(before);
        }
        if (now != 0) {
            current.record(now);
        }
    }

    /**
     * Counts a refusal in {@code blocked_resources} under the refusing scope's class. Memory counts the
     * bytes refused at once; a connection or stream refusal is counted with its operation's outcome.
     * Shadow refusals blocked nothing and are not counted.
     */
    @Override
    public void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                        long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
        if (!closed && !shadow) {
            blocked.refused(requester, refusing, resource, requested);
        }
    }

    /** Counts the refused connection (and its descriptor) under the scope that refused it. */
    @Override
    public void connBlocked(Direction direction, boolean usesFd) {
        if (!closed) {
            blocked.connBlocked(direction, usesFd);
        }
    }

    /** Counts the refused stream under the scope that refused it. */
    @Override
    public void streamBlocked(PeerId peer, Direction direction) {
        if (!closed) {
            blocked.streamBlocked(direction);
        }
    }

    /** Counts what the connection held under the peer scope that refused it. */
    @Override
    public void peerBlocked(PeerId peer) {
        if (!closed) {
            blocked.transferBlocked(ScopeKind.CONNECTION);
        }
    }

    /** Counts what the stream held under the protocol scope that refused it. */
    @Override
    public void protocolBlocked(ProtocolId protocol) {
        if (!closed) {
            blocked.transferBlocked(ScopeKind.STREAM);
        }
    }

    /** Counts what the stream held under the protocol's per-peer scope that refused it. */
    @Override
    public void protocolPeerBlocked(ProtocolId protocol, PeerId peer) {
        if (!closed) {
            blocked.transferBlocked(ScopeKind.STREAM);
        }
    }

    /** Counts what the stream held under the service scope that refused it. */
    @Override
    public void serviceBlocked(String service) {
        if (!closed) {
            blocked.transferBlocked(ScopeKind.STREAM);
        }
    }

    /** Counts what the stream held under the service's per-peer scope that refused it. */
    @Override
    public void servicePeerBlocked(String service, PeerId peer) {
        if (!closed) {
            blocked.transferBlocked(ScopeKind.STREAM);
        }
    }

    /**
     * The manager is closed: its series go with it, as after {@link #close()}, so that a registry
     * outliving the manager neither keeps frozen series nor hands them to the next manager's metrics
     * (Micrometer returns an existing meter for the same name and tags instead of registering anew).
     */
    @Override
    public void managerClosed() {
        close();
    }

    @Override
    public String toString() {
        return "RcmgrMetrics" + tags;
    }

    /** Registers one series in one registry. */
    @FunctionalInterface
    private interface Registration {
        Meter registerIn(MeterRegistry registry);
    }

    /** The series of one protocol, reading whichever scope currently stands for it. */
    private static final class ProtocolSeries {
        /** Replaced when a collected protocol scope comes back; null while there is none. */
        volatile ObservedScope scope;

        double streamsIn() {
            ObservedScope s = scope;
            return s == null ? 0 : s.stat().streamsInbound();
        }

        double streamsOut() {
            ObservedScope s = scope;
            return s == null ? 0 : s.stat().streamsOutbound();
        }

        double memory() {
            ObservedScope s = scope;
            return s == null ? 0 : s.stat().memory();
        }
    }
}
