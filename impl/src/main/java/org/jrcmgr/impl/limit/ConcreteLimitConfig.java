package org.jrcmgr.impl.limit;

import java.util.Map;
import java.util.Objects;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.impl.limit.LimitJsonSchema.Section;

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
        BaseLimit stream) implements ScopeTable.Components<BaseLimit> {

    private static final ConcreteLimitConfig INFINITE =
            ScopeTable.filled(BaseLimit.UNLIMITED).to(ConcreteLimitConfig::new);

    /**
     * Copies the maps.
     *
     * @throws NullPointerException if a limit, a map, or a key or value in a map is null; the
     *                              message names the component
     */
    public ConcreteLimitConfig {
        var checked = ScopeTable.checked(system, transientLimit, allowlistedSystem, allowlistedTransient,
                serviceDefault, service, servicePeerDefault, servicePeer, protocolDefault, protocol,
                protocolPeerDefault, protocolPeer, peerDefault, peer, conn, stream);
        service = checked.map(Section.SERVICE);
        servicePeer = checked.map(Section.SERVICE_PEER);
        protocol = checked.map(Section.PROTOCOL);
        protocolPeer = checked.map(Section.PROTOCOL_PEER);
        peer = checked.map(Section.PEER);
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
        return Section.SERVICE.lookup(this, name, "name");
    }

    /**
     * The limits of each peer's share of service {@code name}: its own entry, else
     * {@link #servicePeerDefault()}.
     */
    public BaseLimit servicePeerLimit(String name) {
        return Section.SERVICE_PEER.lookup(this, name, "name");
    }

    /** The limits of {@code id}: its own entry, else {@link #protocolDefault()}. */
    public BaseLimit protocolLimit(ProtocolId id) {
        return Section.PROTOCOL.lookup(this, id, "id");
    }

    /**
     * The limits of each peer's share of protocol {@code id}: its own entry, else
     * {@link #protocolPeerDefault()}.
     */
    public BaseLimit protocolPeerLimit(ProtocolId id) {
        return Section.PROTOCOL_PEER.lookup(this, id, "id");
    }

    /** The limits of peer {@code id}: its own entry, else {@link #peerDefault()}. */
    public BaseLimit peerLimit(PeerId id) {
        return Section.PEER.lookup(this, id, "id");
    }

    /**
     * Changes some scopes of a {@link ConcreteLimitConfig} and keeps the rest. Arguments are
     * checked when given, so a null is reported where it was passed.
     */
    public static final class Builder {
        /** What a per-key value is called when it is null. */
        private static final String VALUE = "limit";

        private final ScopeTable<BaseLimit> slots;

        private Builder(ConcreteLimitConfig from) {
            slots = ScopeTable.of(from);
        }

        /** The system scope's limits. */
        public Builder system(BaseLimit limit) {
            slots.set(Section.SYSTEM, limit);
            return this;
        }

        /** The transient scope's limits. */
        public Builder transientLimit(BaseLimit limit) {
            slots.set(Section.TRANSIENT, limit);
            return this;
        }

        /** The allowlisted system scope's limits. */
        public Builder allowlistedSystem(BaseLimit limit) {
            slots.set(Section.ALLOWLISTED_SYSTEM, limit);
            return this;
        }

        /** The allowlisted transient scope's limits. */
        public Builder allowlistedTransient(BaseLimit limit) {
            slots.set(Section.ALLOWLISTED_TRANSIENT, limit);
            return this;
        }

        /** The limits of services without an entry of their own. */
        public Builder serviceDefault(BaseLimit limit) {
            slots.set(Section.SERVICE_DEFAULT, limit);
            return this;
        }

        /** The limits of service {@code name}, replacing any earlier entry. */
        public Builder service(String name, BaseLimit limit) {
            slots.put(Section.SERVICE, name, limit, VALUE);
            return this;
        }

        /** Drops service {@code name}'s entry, so it falls back to the default. */
        public Builder removeService(String name) {
            slots.remove(Section.SERVICE, name);
            return this;
        }

        /** The limits of each peer's share of services without an entry of their own. */
        public Builder servicePeerDefault(BaseLimit limit) {
            slots.set(Section.SERVICE_PEER_DEFAULT, limit);
            return this;
        }

        /** The limits of each peer's share of service {@code name}, replacing any earlier entry. */
        public Builder servicePeer(String name, BaseLimit limit) {
            slots.put(Section.SERVICE_PEER, name, limit, VALUE);
            return this;
        }

        /** Drops the per-peer entry of service {@code name}, so it falls back to the default. */
        public Builder removeServicePeer(String name) {
            slots.remove(Section.SERVICE_PEER, name);
            return this;
        }

        /** The limits of protocols without an entry of their own. */
        public Builder protocolDefault(BaseLimit limit) {
            slots.set(Section.PROTOCOL_DEFAULT, limit);
            return this;
        }

        /** The limits of protocol {@code id}, replacing any earlier entry. */
        public Builder protocol(ProtocolId id, BaseLimit limit) {
            slots.put(Section.PROTOCOL, id, limit, VALUE);
            return this;
        }

        /** Drops protocol {@code id}'s entry, so it falls back to the default. */
        public Builder removeProtocol(ProtocolId id) {
            slots.remove(Section.PROTOCOL, id);
            return this;
        }

        /** The limits of each peer's share of protocols without an entry of their own. */
        public Builder protocolPeerDefault(BaseLimit limit) {
            slots.set(Section.PROTOCOL_PEER_DEFAULT, limit);
            return this;
        }

        /** The limits of each peer's share of protocol {@code id}, replacing any earlier entry. */
        public Builder protocolPeer(ProtocolId id, BaseLimit limit) {
            slots.put(Section.PROTOCOL_PEER, id, limit, VALUE);
            return this;
        }

        /** Drops the per-peer entry of protocol {@code id}, so it falls back to the default. */
        public Builder removeProtocolPeer(ProtocolId id) {
            slots.remove(Section.PROTOCOL_PEER, id);
            return this;
        }

        /** The limits of peers without an entry of their own. */
        public Builder peerDefault(BaseLimit limit) {
            slots.set(Section.PEER_DEFAULT, limit);
            return this;
        }

        /** The limits of peer {@code id}, replacing any earlier entry. */
        public Builder peer(PeerId id, BaseLimit limit) {
            slots.put(Section.PEER, id, limit, VALUE);
            return this;
        }

        /** Drops peer {@code id}'s entry, so it falls back to the default. */
        public Builder removePeer(PeerId id) {
            slots.remove(Section.PEER, id);
            return this;
        }

        /** The limits of every connection. */
        public Builder conn(BaseLimit limit) {
            slots.set(Section.CONN, limit);
            return this;
        }

        /** The limits of every stream. */
        public Builder stream(BaseLimit limit) {
            slots.set(Section.STREAM, limit);
            return this;
        }

        /** The configuration; the builder stays usable and later changes do not affect it. */
        public ConcreteLimitConfig build() {
            return slots.to(ConcreteLimitConfig::new);
        }
    }
}
