package org.jrcmgr;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A resource manager that admits everything and accounts for nothing, like go-libp2p's
 * {@code NullResourceManager}: for code that takes a {@link ResourceManager} but should run
 * without limits, and for tests.
 *
 * <p>Every reservation, connection, stream and span is admitted; every {@link ResourceScope#stat()}
 * is {@link ScopeStat#ZERO} and every {@link ResourceScope#limit()} is {@link BaseLimit#UNLIMITED};
 * {@link #verifySourceAddress} is always {@code false} and {@link #snapshot()} holds no scope.
 * Every scope is named {@code null}. As in go-libp2p, the peer, protocol and service scopes of
 * connections and streams are always present, even before {@code setPeer}, {@code setProtocol}
 * or {@code setService}.
 *
 * <p>Invalid arguments (null, negative sizes) are still refused as the {@link ResourceManager} and
 * {@link ResourceScope} contracts require, so that a caller's bug shows up here as it would with a
 * real manager.
 * Nothing else throws: not a done span, not a second {@code setPeer}, not a closed manager.
 *
 * <p>This class is deliberately not a {@link org.jrcmgr.spi.ResourceManagerProvider}:
 * {@link ResourceManagers} never picks it by itself, so running without limits is always an
 * explicit choice.
 */
public final class NullResourceManager implements ResourceManager {

    /** The one instance; it holds no state, so sharing it is free. */
    public static final NullResourceManager INSTANCE = new NullResourceManager();

    private static final String NAME = "null";

    // Scopes with nothing to remember are shared; only spans (isDone) and the scopes that learn a
    // peer, protocol or service have state of their own.
    private static final NullScope SCOPE = new NullScope();

    private NullResourceManager() {
    }

    /**
     * A null connection scope.
     *
     * @throws NullPointerException if {@code direction} or {@code endpoint} is null
     */
    @Override
    public ConnManagementScope openConnection(Direction direction, boolean usesFd, Multiaddr endpoint) {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(endpoint, "endpoint");
        return new NullConnScope();
    }

    /**
     * A null stream scope whose peer scope is that of {@code peer}.
     *
     * @throws NullPointerException if {@code peer} or {@code direction} is null
     */
    @Override
    public StreamManagementScope openStream(PeerId peer, Direction direction) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(direction, "direction");
        return new NullStreamScope(peer);
    }

    /**
     * Always {@code false}: nothing is counted, so no address is ever suspicious.
     *
     * @throws NullPointerException if {@code source} is null
     */
    @Override
    public boolean verifySourceAddress(InetSocketAddress source) {
        Objects.requireNonNull(source, "source");
        return false;
    }

    /** No refusal ever happens here. */
    @Override
    public List<Refusal> recentRefusals() {
        return List.of();
    }

    /** A snapshot with no scope, taken now. */
    @Override
    public ResourceSnapshot snapshot() {
        return new ResourceSnapshot(Instant.now(), List.of());
    }

    /** Does nothing: the instance is shared, so closing it must not affect other users. */
    @Override
    public void close() {
        // Nothing runs in the background and the instance is shared, so there is nothing to stop.
    }

    /**
     * Runs {@code view} with a null scope.
     *
     * @throws NullPointerException if {@code view} is null
     */
    @Override
    public <T> T viewSystem(Function<? super ResourceScope, ? extends T> view) {
        return Objects.requireNonNull(view, "view").apply(SCOPE);
    }

    /**
     * Runs {@code view} with a null scope.
     *
     * @throws NullPointerException if {@code view} is null
     */
    @Override
    public <T> T viewTransient(Function<? super ResourceScope, ? extends T> view) {
        return Objects.requireNonNull(view, "view").apply(SCOPE);
    }

    /**
     * Runs {@code view} with a null service scope named {@code service}.
     *
     * @throws NullPointerException if an argument is null
     */
    @Override
    public <T> T viewService(String service, Function<? super ServiceScope, ? extends T> view) {
        Objects.requireNonNull(service, "service");
        return Objects.requireNonNull(view, "view").apply(new NullServiceScope(service));
    }

    /**
     * Runs {@code view} with a null protocol scope for {@code protocol}.
     *
     * @throws NullPointerException if an argument is null
     */
    @Override
    public <T> T viewProtocol(ProtocolId protocol, Function<? super ProtocolScope, ? extends T> view) {
        Objects.requireNonNull(protocol, "protocol");
        return Objects.requireNonNull(view, "view").apply(new NullProtocolScope(protocol));
    }

    /**
     * Runs {@code view} with a null peer scope for {@code peer}.
     *
     * @throws NullPointerException if an argument is null
     */
    @Override
    public <T> T viewPeer(PeerId peer, Function<? super PeerScope, ? extends T> view) {
        Objects.requireNonNull(peer, "peer");
        return Objects.requireNonNull(view, "view").apply(new NullPeerScope(peer));
    }

    /** {@code NullResourceManager}. */
    @Override
    public String toString() {
        return "NullResourceManager";
    }

    private static void checkReservation(long size, ReservationPriority priority) {
        if (size < 0) {
            throw new IllegalArgumentException("cannot reserve negative memory: " + size);
        }
        Objects.requireNonNull(priority, "priority");
    }

    /** Admits everything, holds nothing. */
    private static class NullScope implements ResourceScope {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void reserveMemory(long size, ReservationPriority priority) {
            checkReservation(size, priority);
        }

        @Override
        public boolean tryReserveMemory(long size, ReservationPriority priority) {
            checkReservation(size, priority);
            return true;
        }

        @Override
        public void releaseMemory(long size) {
            // A null scope holds nothing, so "more than the scope holds" cannot be checked: only the sign can.
            if (size < 0) {
                throw new IllegalArgumentException("cannot release negative memory: " + size);
            }
        }

        @Override
        public ScopeStat stat() {
            return ScopeStat.ZERO;
        }

        @Override
        public Limit limit() {
            return BaseLimit.UNLIMITED;
        }

        @Override
        public ResourceScopeSpan beginSpan() {
            return new NullSpan();
        }

        @Override
        public String toString() {
            return NAME;
        }
    }

    /** A null scope that remembers whether it is done, as {@link ResourceScopeSpan#isDone()} promises. */
    private static class NullSpan extends NullScope implements ResourceScopeSpan {

        private volatile boolean done;

        @Override
        public void done() {
            done = true;
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }

    private static final class NullConnScope extends NullSpan implements ConnManagementScope {

        private volatile PeerId peer;

        @Override
        public Optional<PeerScope> peerScope() {
            return Optional.of(new NullPeerScope(peer));
        }

        @Override
        public void setPeer(PeerId peer) {
            this.peer = Objects.requireNonNull(peer, "peer");
        }
    }

    private static final class NullStreamScope extends NullSpan implements StreamManagementScope {

        private final PeerScope peerScope;
        private volatile ProtocolId protocol;
        private volatile String service;

        NullStreamScope(PeerId peer) {
            peerScope = new NullPeerScope(peer);
        }

        @Override
        public PeerScope peerScope() {
            return peerScope;
        }

        @Override
        public Optional<ProtocolScope> protocolScope() {
            return Optional.of(new NullProtocolScope(protocol));
        }

        @Override
        public Optional<ServiceScope> serviceScope() {
            return Optional.of(new NullServiceScope(service));
        }

        @Override
        public void setProtocol(ProtocolId protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
        }

        @Override
        public void setService(String service) {
            this.service = Objects.requireNonNull(service, "service");
        }
    }

    /**
     * The identity is null only for the always-present scope of a connection or stream that has
     * not been given one yet; asking for it then is a state error.
     */
    private static final class NullPeerScope extends NullScope implements PeerScope {

        private final PeerId peer;

        NullPeerScope(PeerId peer) {
            this.peer = peer;
        }

        @Override
        public PeerId peer() {
            if (peer == null) {
                throw new IllegalStateException("the null connection scope has no peer: setPeer was not called");
            }
            return peer;
        }
    }

    private static final class NullProtocolScope extends NullScope implements ProtocolScope {

        private final ProtocolId protocol;

        NullProtocolScope(ProtocolId protocol) {
            this.protocol = protocol;
        }

        @Override
        public ProtocolId protocol() {
            if (protocol == null) {
                throw new IllegalStateException("the null stream scope has no protocol: setProtocol was not called");
            }
            return protocol;
        }
    }

    private static final class NullServiceScope extends NullScope implements ServiceScope {

        private final String service;

        NullServiceScope(String service) {
            this.service = service;
        }

        @Override
        public String serviceName() {
            if (service == null) {
                throw new IllegalStateException("the null stream scope has no service: setService was not called");
            }
            return service;
        }
    }
}
