package org.jrcmgr.impl.scope;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.PeerScope;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ProtocolScope;
import org.jrcmgr.Refusal;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ResourceSnapshot;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeSnapshot;
import org.jrcmgr.ServiceScope;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.limit.Limiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default resource manager: it owns the four permanent scopes, creates service, protocol and
 * peer scopes on demand, admits connections and streams, and collects idle peer and protocol
 * scopes once a minute (go-libp2p's {@code resourceManager}).
 *
 * <p>Nothing on the reservation path takes a manager-wide lock: the maps of long-lived scopes are
 * concurrent, and a scope is created and referenced in one atomic map step, which is also the step
 * in which the collector removes an idle scope, so a scope is never collected while someone takes
 * it.
 */
public final class DefaultResourceManager implements ResourceManager, ScopeContext {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultResourceManager.class);

    private final Limiter limiter;
    private final RefusalLog refusals = new RefusalLog();
    private final RefusalRecorder recorder = new RefusalRecorder(RefusalRecorder.DEFAULT_CAPACITY);
    private final boolean shadowMode;
    private final PlainScope system;
    private final PlainScope transientScope;
    private final PlainScope allowlistedSystem;
    private final PlainScope allowlistedTransient;
    private final ConcurrentHashMap<String, ServiceScopeImpl> services = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ProtocolId, ProtocolScopeImpl> protocols = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PeerId, PeerScopeImpl> peers = new ConcurrentHashMap<>();
    private final Set<ProtocolId> stickyProtocols = ConcurrentHashMap.newKeySet();
    private final Set<PeerId> stickyPeers = ConcurrentHashMap.newKeySet();
    private final Set<Scope> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong connIds = new AtomicLong();
    private final AtomicLong streamIds = new AtomicLong();
    private final ScheduledExecutorService collector;
    private volatile boolean closed;

    /**
     * A manager taking its limits from {@code limiter}, collecting idle scopes every
     * {@code collectInterval} (go-libp2p: one minute), or never when it is null.
     */
    public DefaultResourceManager(Limiter limiter, Duration collectInterval) {
        this(limiter, collectInterval, false);
    }

    /**
     * A manager as above; in {@code shadowMode} no scope refuses anything, and every would-be
     * refusal is recorded as a shadow refusal.
     */
    public DefaultResourceManager(Limiter limiter, Duration collectInterval, boolean shadowMode) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.shadowMode = shadowMode;
        system = new PlainScope(this, "system", ScopeKind.SYSTEM, limiter.systemLimits());
        system.incRef();
        transientScope = new PlainScope(this, "transient", ScopeKind.TRANSIENT, limiter.transientLimits(), system);
        transientScope.incRef();
        allowlistedSystem = new PlainScope(this, "allowlistedSystem", ScopeKind.ALLOWLISTED_SYSTEM,
                limiter.allowlistedSystemLimits());
        allowlistedSystem.incRef();
        allowlistedTransient = new PlainScope(this, "allowlistedTransient", ScopeKind.ALLOWLISTED_TRANSIENT,
                limiter.allowlistedTransientLimits(), allowlistedSystem);
        allowlistedTransient.incRef();
        if (collectInterval == null) {
            collector = null;
        } else {
            if (collectInterval.isNegative() || collectInterval.isZero()) {
                throw new IllegalArgumentException("the collection interval must be positive, got " + collectInterval);
            }
            collector = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jrcmgr-collector");
                t.setDaemon(true);
                return t;
            });
            long millis = collectInterval.toMillis();
            collector.scheduleWithFixedDelay(this::collectSafely, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    Limiter limiter() {
        return limiter;
    }

    // ---- admission ------------------------------------------------------------------------------

    @Override
    public ConnManagementScope openConnection(Direction direction, boolean usesFd, Multiaddr endpoint) {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(endpoint, "endpoint");
        checkOpen();
        ConnScopeImpl conn = new ConnScopeImpl(this, connIds.incrementAndGet(), limiter.connLimits(),
                transientScope, system);
        registerLive(conn);
        ResourceException refusal = conn.addConn(direction, usesFd);
        if (refusal != null) {
            conn.done();
            throw refusal;
        }
        return conn;
    }

    @Override
    public StreamManagementScope openStream(PeerId peer, Direction direction) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(direction, "direction");
        checkOpen();
        PeerScopeImpl peerScope = acquirePeer(peer);
        StreamScopeImpl stream;
        try {
            stream = new StreamScopeImpl(this, streamIds.incrementAndGet(), limiter.streamLimits(peer), peerScope,
                    transientScope, system);
        } finally {
            // The stream took its own reference as an edge; this one was only to keep the peer alive.
            peerScope.decRef();
        }
        registerLive(stream);
        ResourceException refusal = stream.addStream(direction);
        if (refusal != null) {
            stream.done();
            throw refusal;
        }
        return stream;
    }

    @Override
    public boolean verifySourceAddress(InetSocketAddress source) {
        Objects.requireNonNull(source, "source");
        return false;
    }

    private void checkOpen() {
        if (closed) {
            throw new ResourceScopeClosedException("resource manager");
        }
    }

    // ---- views ----------------------------------------------------------------------------------

    @Override
    public <T> T viewSystem(Function<? super ResourceScope, ? extends T> view) {
        return view.apply(system);
    }

    @Override
    public <T> T viewTransient(Function<? super ResourceScope, ? extends T> view) {
        return view.apply(transientScope);
    }

    @Override
    public <T> T viewService(String service, Function<? super ServiceScope, ? extends T> view) {
        ServiceScopeImpl scope = acquireService(service);
        try {
            return view.apply(scope);
        } finally {
            scope.decRef();
        }
    }

    @Override
    public <T> T viewProtocol(ProtocolId protocol, Function<? super ProtocolScope, ? extends T> view) {
        ProtocolScopeImpl scope = acquireProtocol(protocol);
        try {
            return view.apply(scope);
        } finally {
            scope.decRef();
        }
    }

    @Override
    public <T> T viewPeer(PeerId peer, Function<? super PeerScope, ? extends T> view) {
        PeerScopeImpl scope = acquirePeer(peer);
        try {
            return view.apply(scope);
        } finally {
            scope.decRef();
        }
    }

    // ---- long-lived scopes ----------------------------------------------------------------------

    /** The scope of {@code service}, created if absent, with a reference taken for the caller. */
    ServiceScopeImpl acquireService(String service) {
        Objects.requireNonNull(service, "service");
        if (service.isEmpty()) {
            throw new IllegalArgumentException("a service name must not be empty");
        }
        return services.compute(service, (name, scope) -> {
            ServiceScopeImpl s = scope != null ? scope
                    : new ServiceScopeImpl(this, name, limiter.serviceLimits(name), system);
            s.incRef();
            return s;
        });
    }

    /** The scope of {@code protocol}, created if absent, with a reference taken for the caller. */
    ProtocolScopeImpl acquireProtocol(ProtocolId protocol) {
        Objects.requireNonNull(protocol, "protocol");
        return protocols.compute(protocol, (id, scope) -> {
            ProtocolScopeImpl s = scope != null ? scope
                    : new ProtocolScopeImpl(this, id, limiter.protocolLimits(id), system);
            s.incRef();
            return s;
        });
    }

    /** The scope of {@code peer}, created if absent, with a reference taken for the caller. */
    PeerScopeImpl acquirePeer(PeerId peer) {
        Objects.requireNonNull(peer, "peer");
        return peers.compute(peer, (id, scope) -> {
            PeerScopeImpl s = scope != null ? scope : new PeerScopeImpl(this, id, limiter.peerLimits(id), system);
            s.incRef();
            return s;
        });
    }

    void makeSticky(ProtocolId protocol) {
        stickyProtocols.add(protocol);
    }

    void makeSticky(PeerId peer) {
        stickyPeers.add(peer);
    }

    // ---- collection -----------------------------------------------------------------------------

    private void collectSafely() {
        try {
            collect();
        } catch (RuntimeException e) {
            // A failing pass must not cancel the schedule: the next minute may well succeed.
            LOG.error("collecting idle resource scopes failed", e);
        }
    }

    /**
     * Closes and forgets idle protocol and peer scopes that are not sticky, and the per-peer shares
     * of the peers collected (go-libp2p's {@code gc}). Services are kept.
     */
    void collect() {
        for (ProtocolId id : protocols.keySet()) {
            if (stickyProtocols.contains(id)) {
                continue;
            }
            protocols.computeIfPresent(id, (key, scope) -> {
                if (!scope.isUnused()) {
                    return scope;
                }
                scope.closeScope();
                return null;
            });
        }
        Set<PeerId> dead = new HashSet<>();
        for (PeerId id : peers.keySet()) {
            if (stickyPeers.contains(id)) {
                continue;
            }
            peers.computeIfPresent(id, (key, scope) -> {
                if (!scope.isUnused()) {
                    return scope;
                }
                scope.closeScope();
                dead.add(key);
                return null;
            });
        }
        if (dead.isEmpty()) {
            return;
        }
        for (ServiceScopeImpl service : services.values()) {
            service.peers.drop(dead);
        }
        for (ProtocolScopeImpl protocol : protocols.values()) {
            protocol.peers.drop(dead);
        }
    }

    // ---- ScopeContext ---------------------------------------------------------------------------

    @Override
    public void registerLive(Scope scope) {
        live.add(scope);
    }

    @Override
    public void unregisterLive(Scope scope) {
        live.remove(scope);
    }

    @Override
    public RefusalLog refusals() {
        return refusals;
    }

    @Override
    public RefusalRecorder recorder() {
        return recorder;
    }

    @Override
    public boolean shadowMode() {
        return shadowMode;
    }

    @Override
    public List<Refusal> recentRefusals() {
        return recorder.recent();
    }

    /** How many refusals of {@code resource} happened since the start, real or (with {@code shadow}) let through. */
    public long refusalCount(Resource resource, boolean shadow) {
        return recorder.count(resource, shadow);
    }

    // ---- state ------------------------------------------------------------------------------------

    @Override
    public ResourceSnapshot snapshot() {
        Instant at = Instant.now();
        List<ScopeSnapshot> scopes = new ArrayList<>();
        scopes.add(system.snapshot());
        scopes.add(transientScope.snapshot());
        scopes.add(allowlistedSystem.snapshot());
        scopes.add(allowlistedTransient.snapshot());
        for (ServiceScopeImpl service : sorted(services.values())) {
            scopes.add(service.snapshot());
            sorted(service.peers.all()).forEach(s -> scopes.add(s.snapshot()));
        }
        for (ProtocolScopeImpl protocol : sorted(protocols.values())) {
            scopes.add(protocol.snapshot());
            sorted(protocol.peers.all()).forEach(s -> scopes.add(s.snapshot()));
        }
        sorted(peers.values()).forEach(s -> scopes.add(s.snapshot()));
        List<Scope> shortLived = new ArrayList<>(live);
        shortLived.sort(Comparator.comparing((Scope s) -> s.kind()).thenComparing(Scope::name));
        for (Scope scope : shortLived) {
            if (!scope.isDoneInternal()) {
                scopes.add(scope.snapshot());
            }
        }
        return new ResourceSnapshot(at, scopes);
    }

    private static <S extends Scope> List<S> sorted(java.util.Collection<S> scopes) {
        List<S> list = new ArrayList<>(scopes);
        list.sort(Comparator.comparing(Scope::name));
        return list;
    }

    /** The live peer scope of {@code peer}, if any; for tests. */
    PeerScopeImpl peerIfPresent(PeerId peer) {
        return peers.get(peer);
    }

    /** The live protocol scope of {@code protocol}, if any; for tests. */
    ProtocolScopeImpl protocolIfPresent(ProtocolId protocol) {
        return protocols.get(protocol);
    }

    /** The live service scope, if any; for tests. */
    ServiceScopeImpl serviceIfPresent(String service) {
        return services.get(service);
    }

    PlainScope system() {
        return system;
    }

    PlainScope transientScope() {
        return transientScope;
    }

    PlainScope allowlistedSystem() {
        return allowlistedSystem;
    }

    PlainScope allowlistedTransient() {
        return allowlistedTransient;
    }

    @Override
    public void close() {
        closed = true;
        if (collector != null) {
            collector.shutdownNow();
        }
    }
}
