package org.jrcmgr.impl.scope;

import org.jrcmgr.impl.observe.ScopeObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
import org.jrcmgr.EndpointRefusedException;
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
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.internal.ConnLimiter;
import org.jrcmgr.impl.net.internal.IpAddress;
import org.jrcmgr.impl.net.internal.RateLimiter;
import org.jrcmgr.impl.net.internal.SourceAddressVerifier;
import org.jrcmgr.impl.observe.internal.CompositeObserver;
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
    private final ScopeObserver observer;
    private final ScopeObserver memoryObserver;
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
    private final Allowlist allowlist;
    private final ConnLimiter connLimiter;
    private final RateLimiter connRateLimiter;
    private final SourceAddressVerifier sourceVerifier;
    private final AtomicLong connIds = new AtomicLong();
    private final AtomicLong streamIds = new AtomicLong();
    private final ScheduledExecutorService collector;
    private volatile boolean closed;

    /**
     * A manager taking its limits from {@code limiter}, collecting idle scopes every
     * {@code collectInterval} (go-libp2p: one minute), or never when it is null.
     */
    public DefaultResourceManager(Limiter limiter, Duration collectInterval) {
        this(ManagerConfig.of(limiter).withCollectInterval(collectInterval));
    }

    /**
     * A manager as above; in {@code shadowMode} no scope refuses anything, and every would-be
     * refusal is recorded as a shadow refusal.
     */
    public DefaultResourceManager(Limiter limiter, Duration collectInterval, boolean shadowMode) {
        this(ManagerConfig.of(limiter).withCollectInterval(collectInterval).withShadowMode(shadowMode));
    }

    /** A manager made from {@code config}. */
    public DefaultResourceManager(ManagerConfig config) {
        this.limiter = config.limiter();
        this.shadowMode = config.shadowMode();
        this.observer = config.observer();
        this.memoryObserver = CompositeObserver.listensToMemory(observer) ? observer : ScopeObserver.NONE;
        this.allowlist = config.allowlist();
        this.connLimiter = new ConnLimiter(config.connLimits());
        // go-libp2p: unconstrained allowlisted networks get the allowlisted system's connection
        // count in the per-address limiter, unless configured explicitly; then the QUIC
        // source-address verifier is derived from the result.
        connLimiter.registerAllowlisted(allowlist.unconstrainedNetworks(),
                limiter.allowlistedSystemLimits().connsTotal());
        this.sourceVerifier = SourceAddressVerifier.forConnLimits(connLimiter.config());
        this.connRateLimiter = new RateLimiter(config.connRateLimits());
        Duration collectInterval = config.collectInterval();
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
        // go-libp2p's order: the rate limiter (both directions; addresses without an IP share one
        // bucket), then the per-address limit, then the scopes, then the allowlist as a fallback.
        IpAddress ip = IpAddress.fromMultiaddr(endpoint).orElse(null);
        if (!(ip != null ? connRateLimiter.allow(ip) : connRateLimiter.allowWithoutAddress())) {
            observer.connBlocked(direction, usesFd);
            throw new EndpointRefusedException(endpoint, EndpointRefusedException.Reason.RATE_LIMIT);
        }
        if (ip != null && !connLimiter.addConn(ip)) {
            observer.connBlocked(direction, usesFd);
            throw new EndpointRefusedException(endpoint, EndpointRefusedException.Reason.CONNECTIONS_PER_ADDRESS);
        }
        ConnScopeImpl conn = newConn(endpoint, ip, false);
        ResourceException refusal = conn.addConn(direction, usesFd);
        if (refusal != null && ip != null && allowlist.allowed(endpoint)) {
            // Trusted endpoints get their own scopes when the ordinary ones are full. The first
            // scope gives its address slot back; the allowlisted one holds none, as in go-libp2p.
            conn.done();
            conn = newConn(endpoint, null, true);
            refusal = conn.addConn(direction, usesFd);
        }
        if (refusal != null) {
            conn.done();
            observer.connBlocked(direction, usesFd);
            throw refusal;
        }
        observer.connAllowed(direction, usesFd);
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
            observer.streamBlocked(peer, direction);
            throw refusal;
        }
        observer.streamAllowed(peer, direction);
        return stream;
    }

    @Override
    public boolean verifySourceAddress(InetSocketAddress source) {
        Objects.requireNonNull(source, "source");
        return sourceVerifier.shouldVerify(source);
    }

    private ConnScopeImpl newConn(Multiaddr endpoint, IpAddress ip, boolean allowlisted) {
        ConnScopeImpl conn = allowlisted
                ? new ConnScopeImpl(this, connIds.incrementAndGet(), limiter.connLimits(), endpoint, null, true,
                        allowlistedTransient, allowlistedSystem)
                : new ConnScopeImpl(this, connIds.incrementAndGet(), limiter.connLimits(), endpoint, ip, false,
                        transientScope, system);
        registerLive(conn);
        return conn;
    }

    /** A connection scope is done: its address slot goes back to the per-address limiter. */
    void releaseAddress(IpAddress ip) {
        connLimiter.removeConn(ip);
    }

    /** The allowlist this manager consults; it can be changed while the manager runs. */
    Allowlist allowlist() {
        return allowlist;
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
        return viewHeld(acquireService(service), view);
    }

    @Override
    public <T> T viewProtocol(ProtocolId protocol, Function<? super ProtocolScope, ? extends T> view) {
        return viewHeld(acquireProtocol(protocol), view);
    }

    @Override
    public <T> T viewPeer(PeerId peer, Function<? super PeerScope, ? extends T> view) {
        return viewHeld(acquirePeer(peer), view);
    }

    /** Runs a view on a scope acquired for it, and drops that reference whatever the view does. */
    private static <S extends DagScope, T> T viewHeld(S scope, Function<? super S, ? extends T> view) {
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
    public ScopeObserver observer() {
        return observer;
    }

    @Override
    public ScopeObserver memoryObserver() {
        return memoryObserver;
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

    private static <S extends Scope> List<S> sorted(Collection<S> scopes) {
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
        boolean wasClosed = closed;
        closed = true;
        if (collector != null) {
            collector.shutdownNow();
        }
        if (!wasClosed) {
            // Observers that buffer (the trace file) flush on this cue; a failing one must not fail close.
            try {
                observer.managerClosed();
            } catch (RuntimeException e) {
                LOG.warn("closing the resource manager's observer {} failed", observer, e);
            }
        }
    }
}
