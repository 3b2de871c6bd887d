package org.jrcmgr.impl.limit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;

/**
 * Fully resolved limits for every scope, go-libp2p's {@code ConcreteLimitConfig}: what
 * {@link ScalingLimitConfig#scale} produces and what a {@link FixedLimiter} hands out.
 *
 * <p>A service, protocol or peer uses its entry in the per-key map if it has one, else the
 * matching default; see {@link #serviceLimit} and its siblings. The maps are unmodifiable copies
 * that keep the order they were given in.
 *
 * <p>The transient scope's component is called {@code transientLimit} because {@code transient}
 * is a Java keyword.
 *
 * @param system               the system scope
 * @param transientLimit       the transient scope
 * @param allowlistedSystem    the system scope of allowlisted connections
 * @param allowlistedTransient the transient scope of allowlisted connections
 * @param serviceDefault       a service without an entry in {@code service}
 * @param service              per-service limits, by service name
 * @param servicePeerDefault   each peer's share of a service without an entry in {@code servicePeer}
 * @param servicePeer          each peer's share of a service, by service name
 * @param protocolDefault      a protocol without an entry in {@code protocol}
 * @param protocol             per-protocol limits
 * @param protocolPeerDefault  each peer's share of a protocol without an entry in {@code protocolPeer}
 * @param protocolPeer         each peer's share of a protocol, by protocol
 * @param peerDefault          a peer without an entry in {@code peer}
 * @param peer                 per-peer limits
 * @param conn                 every connection
 * @param stream               every stream
 */
public record ConcreteLimitConfig(
        BaseLimit system,
        BaseLimit transientLimit,
        BaseLimit allowlistedSystem,
        BaseLimit allowlistedTransient,
        BaseLimit serviceDefault,
        Map<String, BaseLimit> service,
        BaseLimit servicePeerDefault,
        Map<String, BaseLimit> servicePeer,
        BaseLimit protocolDefault,
        Map<ProtocolId, BaseLimit> protocol,
        BaseLimit protocolPeerDefault,
        Map<ProtocolId, BaseLimit> protocolPeer,
        BaseLimit peerDefault,
        Map<PeerId, BaseLimit> peer,
        BaseLimit conn,
        BaseLimit stream) {

    private static final ConcreteLimitConfig INFINITE = new ConcreteLimitConfig(
            BaseLimit.UNLIMITED, BaseLimit.UNLIMITED, BaseLimit.UNLIMITED, BaseLimit.UNLIMITED,
            BaseLimit.UNLIMITED, Map.of(), BaseLimit.UNLIMITED, Map.of(),
            BaseLimit.UNLIMITED, Map.of(), BaseLimit.UNLIMITED, Map.of(),
            BaseLimit.UNLIMITED, Map.of(), BaseLimit.UNLIMITED, BaseLimit.UNLIMITED);

    /**
     * Copies the maps.
     *
     * @throws NullPointerException if a limit, a map, or a key or value in a map is null; the
     *                              message names the component
     */
    public ConcreteLimitConfig {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(transientLimit, "transientLimit");
        Objects.requireNonNull(allowlistedSystem, "allowlistedSystem");
        Objects.requireNonNull(allowlistedTransient, "allowlistedTransient");
        Objects.requireNonNull(serviceDefault, "serviceDefault");
        service = LimitMaps.copy(service, "service");
        Objects.requireNonNull(servicePeerDefault, "servicePeerDefault");
        servicePeer = LimitMaps.copy(servicePeer, "servicePeer");
        Objects.requireNonNull(protocolDefault, "protocolDefault");
        protocol = LimitMaps.copy(protocol, "protocol");
        Objects.requireNonNull(protocolPeerDefault, "protocolPeerDefault");
        protocolPeer = LimitMaps.copy(protocolPeer, "protocolPeer");
        Objects.requireNonNull(peerDefault, "peerDefault");
        peer = LimitMaps.copy(peer, "peer");
        Objects.requireNonNull(conn, "conn");
        Objects.requireNonNull(stream, "stream");
    }

    /**
     * No limit anywhere, go-libp2p's {@code InfiniteLimits}: every scope {@link BaseLimit#UNLIMITED},
     * no per-key entries.
     */
    public static ConcreteLimitConfig infinite() {
        return INFINITE;
    }

    /** A builder starting from {@code from}'s limits. */
    public static Builder builder(ConcreteLimitConfig from) {
        return new Builder(Objects.requireNonNull(from, "from"));
    }

    /** A builder starting from this configuration's limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Every limit as an explicit setting, go-libp2p's {@code ToPartialLimitConfig}:
     * {@code toPartial().build(defaults)} equals this configuration for any defaults without
     * per-key entries of their own (those are kept, see {@link PartialLimitConfig#build}). Write
     * it with {@link LimitConfigJson} to get a limit file a go-libp2p node reads back to the same
     * limits.
     */
    public PartialLimitConfig toPartial() {
        return PartialLimitConfig.of(this);
    }

    /** The limits of service {@code name}: its own entry, else {@link #serviceDefault()}. */
    public BaseLimit serviceLimit(String name) {
        return service.getOrDefault(Objects.requireNonNull(name, "name"), serviceDefault);
    }

    /**
     * The limits of each peer's share of service {@code name}: its own entry, else
     * {@link #servicePeerDefault()}.
     */
    public BaseLimit servicePeerLimit(String name) {
        return servicePeer.getOrDefault(Objects.requireNonNull(name, "name"), servicePeerDefault);
    }

    /** The limits of {@code id}: its own entry, else {@link #protocolDefault()}. */
    public BaseLimit protocolLimit(ProtocolId id) {
        return protocol.getOrDefault(Objects.requireNonNull(id, "id"), protocolDefault);
    }

    /**
     * The limits of each peer's share of protocol {@code id}: its own entry, else
     * {@link #protocolPeerDefault()}.
     */
    public BaseLimit protocolPeerLimit(ProtocolId id) {
        return protocolPeer.getOrDefault(Objects.requireNonNull(id, "id"), protocolPeerDefault);
    }

    /** The limits of peer {@code id}: its own entry, else {@link #peerDefault()}. */
    public BaseLimit peerLimit(PeerId id) {
        return peer.getOrDefault(Objects.requireNonNull(id, "id"), peerDefault);
    }

    /**
     * Changes some scopes of a {@link ConcreteLimitConfig} and keeps the rest. Arguments are
     * checked when given, so a null is reported where it was passed.
     */
    public static final class Builder {
        private BaseLimit system;
        private BaseLimit transientLimit;
        private BaseLimit allowlistedSystem;
        private BaseLimit allowlistedTransient;
        private BaseLimit serviceDefault;
        private final Map<String, BaseLimit> service;
        private BaseLimit servicePeerDefault;
        private final Map<String, BaseLimit> servicePeer;
        private BaseLimit protocolDefault;
        private final Map<ProtocolId, BaseLimit> protocol;
        private BaseLimit protocolPeerDefault;
        private final Map<ProtocolId, BaseLimit> protocolPeer;
        private BaseLimit peerDefault;
        private final Map<PeerId, BaseLimit> peer;
        private BaseLimit conn;
        private BaseLimit stream;

        private Builder(ConcreteLimitConfig from) {
            system = from.system;
            transientLimit = from.transientLimit;
            allowlistedSystem = from.allowlistedSystem;
            allowlistedTransient = from.allowlistedTransient;
            serviceDefault = from.serviceDefault;
            service = new LinkedHashMap<>(from.service);
            servicePeerDefault = from.servicePeerDefault;
            servicePeer = new LinkedHashMap<>(from.servicePeer);
            protocolDefault = from.protocolDefault;
            protocol = new LinkedHashMap<>(from.protocol);
            protocolPeerDefault = from.protocolPeerDefault;
            protocolPeer = new LinkedHashMap<>(from.protocolPeer);
            peerDefault = from.peerDefault;
            peer = new LinkedHashMap<>(from.peer);
            conn = from.conn;
            stream = from.stream;
        }

        /** The system scope's limits. */
        public Builder system(BaseLimit limit) {
            system = Objects.requireNonNull(limit, "system");
            return this;
        }

        /** The transient scope's limits. */
        public Builder transientLimit(BaseLimit limit) {
            transientLimit = Objects.requireNonNull(limit, "transientLimit");
            return this;
        }

        /** The allowlisted system scope's limits. */
        public Builder allowlistedSystem(BaseLimit limit) {
            allowlistedSystem = Objects.requireNonNull(limit, "allowlistedSystem");
            return this;
        }

        /** The allowlisted transient scope's limits. */
        public Builder allowlistedTransient(BaseLimit limit) {
            allowlistedTransient = Objects.requireNonNull(limit, "allowlistedTransient");
            return this;
        }

        /** The limits of services without an entry of their own. */
        public Builder serviceDefault(BaseLimit limit) {
            serviceDefault = Objects.requireNonNull(limit, "serviceDefault");
            return this;
        }

        /** The limits of service {@code name}, replacing any earlier entry. */
        public Builder service(String name, BaseLimit limit) {
            service.put(Objects.requireNonNull(name, "service name"),
                    Objects.requireNonNull(limit, "service limit"));
            return this;
        }

        /** Drops service {@code name}'s entry, so it falls back to the default. */
        public Builder removeService(String name) {
            service.remove(Objects.requireNonNull(name, "service name"));
            return this;
        }

        /** The limits of each peer's share of services without an entry of their own. */
        public Builder servicePeerDefault(BaseLimit limit) {
            servicePeerDefault = Objects.requireNonNull(limit, "servicePeerDefault");
            return this;
        }

        /** The limits of each peer's share of service {@code name}, replacing any earlier entry. */
        public Builder servicePeer(String name, BaseLimit limit) {
            servicePeer.put(Objects.requireNonNull(name, "service name"),
                    Objects.requireNonNull(limit, "servicePeer limit"));
            return this;
        }

        /** Drops the per-peer entry of service {@code name}, so it falls back to the default. */
        public Builder removeServicePeer(String name) {
            servicePeer.remove(Objects.requireNonNull(name, "service name"));
            return this;
        }

        /** The limits of protocols without an entry of their own. */
        public Builder protocolDefault(BaseLimit limit) {
            protocolDefault = Objects.requireNonNull(limit, "protocolDefault");
            return this;
        }

        /** The limits of protocol {@code id}, replacing any earlier entry. */
        public Builder protocol(ProtocolId id, BaseLimit limit) {
            protocol.put(Objects.requireNonNull(id, "protocol id"),
                    Objects.requireNonNull(limit, "protocol limit"));
            return this;
        }

        /** Drops protocol {@code id}'s entry, so it falls back to the default. */
        public Builder removeProtocol(ProtocolId id) {
            protocol.remove(Objects.requireNonNull(id, "protocol id"));
            return this;
        }

        /** The limits of each peer's share of protocols without an entry of their own. */
        public Builder protocolPeerDefault(BaseLimit limit) {
            protocolPeerDefault = Objects.requireNonNull(limit, "protocolPeerDefault");
            return this;
        }

        /** The limits of each peer's share of protocol {@code id}, replacing any earlier entry. */
        public Builder protocolPeer(ProtocolId id, BaseLimit limit) {
            protocolPeer.put(Objects.requireNonNull(id, "protocol id"),
                    Objects.requireNonNull(limit, "protocolPeer limit"));
            return this;
        }

        /** Drops the per-peer entry of protocol {@code id}, so it falls back to the default. */
        public Builder removeProtocolPeer(ProtocolId id) {
            protocolPeer.remove(Objects.requireNonNull(id, "protocol id"));
            return this;
        }

        /** The limits of peers without an entry of their own. */
        public Builder peerDefault(BaseLimit limit) {
            peerDefault = Objects.requireNonNull(limit, "peerDefault");
            return this;
        }

        /** The limits of peer {@code id}, replacing any earlier entry. */
        public Builder peer(PeerId id, BaseLimit limit) {
            peer.put(Objects.requireNonNull(id, "peer id"), Objects.requireNonNull(limit, "peer limit"));
            return this;
        }

        /** Drops peer {@code id}'s entry, so it falls back to the default. */
        public Builder removePeer(PeerId id) {
            peer.remove(Objects.requireNonNull(id, "peer id"));
            return this;
        }

        /** The limits of every connection. */
        public Builder conn(BaseLimit limit) {
            conn = Objects.requireNonNull(limit, "conn");
            return this;
        }

        /** The limits of every stream. */
        public Builder stream(BaseLimit limit) {
            stream = Objects.requireNonNull(limit, "stream");
            return this;
        }

        /** The configuration; the builder stays usable and later changes do not affect it. */
        public ConcreteLimitConfig build() {
            return new ConcreteLimitConfig(system, transientLimit, allowlistedSystem, allowlistedTransient,
                    serviceDefault, service, servicePeerDefault, servicePeer, protocolDefault, protocol,
                    protocolPeerDefault, protocolPeer, peerDefault, peer, conn, stream);
        }
    }
}
