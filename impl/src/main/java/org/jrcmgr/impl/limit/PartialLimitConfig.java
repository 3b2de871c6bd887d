package org.jrcmgr.impl.limit;

import java.util.Map;
import java.util.Objects;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.impl.limit.LimitJsonSchema.Section;

/**
 * Limits as a user writes them, go-libp2p's {@code PartialLimitConfig}: every scope a
 * {@link ResourceLimits} whose default fields are filled in by {@link #build} from a
 * {@link ConcreteLimitConfig}, usually the scaled {@link DefaultLimits}. This is what a go-libp2p
 * limit file holds; {@link LimitConfigJson} reads and writes it.
 *
 * <pre>{@code
 * PartialLimitConfig mine = PartialLimitConfig.builder()
 *         .system(ResourceLimits.builder().conns(512).build())
 *         .peer(noisyNeighbour, ResourceLimits.builder().connsInbound(LimitSetting.blockAll()).build())
 *         .build();
 * ConcreteLimitConfig limits = mine.build(DefaultLimits.defaults().autoScale());
 * }</pre>
 *
 * <p>The maps are unmodifiable copies that keep the order they were given in; their order does
 * not take part in equality. The transient scope's component is called {@code transientLimit}
 * because {@code transient} is a Java keyword.
 *
 * @param system               the system scope
 * @param transientLimit       the transient scope
 * @param allowlistedSystem    the system scope of allowlisted connections
 * @param allowlistedTransient the transient scope of allowlisted connections
 * @param serviceDefault       services without an entry in {@code service}
 * @param service              per-service limits, by service name
 * @param servicePeerDefault   each peer's share of a service without an entry in {@code servicePeer}
 * @param servicePeer          each peer's share of a service, by service name
 * @param protocolDefault      protocols without an entry in {@code protocol}
 * @param protocol             per-protocol limits
 * @param protocolPeerDefault  each peer's share of a protocol without an entry in {@code protocolPeer}
 * @param protocolPeer         each peer's share of a protocol, by protocol
 * @param peerDefault          peers without an entry in {@code peer}
 * @param peer                 per-peer limits
 * @param conn                 every connection
 * @param stream               every stream
 */
public record PartialLimitConfig(
        ResourceLimits system,
        ResourceLimits transientLimit,
        ResourceLimits allowlistedSystem,
        ResourceLimits allowlistedTransient,
        ResourceLimits serviceDefault,
        Map<String, ResourceLimits> service,
        ResourceLimits servicePeerDefault,
        Map<String, ResourceLimits> servicePeer,
        ResourceLimits protocolDefault,
        Map<ProtocolId, ResourceLimits> protocol,
        ResourceLimits protocolPeerDefault,
        Map<ProtocolId, ResourceLimits> protocolPeer,
        ResourceLimits peerDefault,
        Map<PeerId, ResourceLimits> peer,
        ResourceLimits conn,
        ResourceLimits stream) implements ScopeTable.Components<ResourceLimits> {

    /** Nothing set: building it gives the defaults back. What an empty JSON object ({@code {}}) reads as. */
    public static final PartialLimitConfig EMPTY =
            ScopeTable.filled(ResourceLimits.DEFAULT).to(PartialLimitConfig::new);

    /**
     * Copies the maps. A scope with nothing to say is {@link ResourceLimits#DEFAULT}, not null.
     *
     * @throws NullPointerException if a scope, a map, or a key or value in a map is null; the
     *                              message names the component
     */
    public PartialLimitConfig {
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
     * Every limit of {@code config} as an explicit setting, go-libp2p's
     * {@code ConcreteLimitConfig.ToPartialLimitConfig}: nothing is left at "default", so building
     * the result against any defaults gives {@code config} back, except that per-key entries
     * only the defaults have are kept (see {@link #build}); against defaults without such entries,
     * {@link ConcreteLimitConfig#infinite()} for one, the round trip is exact.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public static PartialLimitConfig of(ConcreteLimitConfig config) {
        Objects.requireNonNull(config, "config");
        return ScopeTable.of(config).transform(ResourceLimits::of).to(PartialLimitConfig::new);
    }

    /** A builder starting from {@link #EMPTY}. */
    public static Builder builder() {
        return new Builder(EMPTY);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The concrete limits: these settings with every default filled in from {@code defaults},
     * go-libp2p's {@code PartialLimitConfig.Build}.
     *
     * <p>Each scope is built against the same scope of {@code defaults}. Each per-key map starts
     * as a copy of the defaults' map; an entry of this configuration is built against the
     * defaults' entry for the same key if there is one, else against this configuration's
     * <em>built</em> scope default. So, with {@code "ServiceDefault": {"Memory": "8765"}} and
     * {@code "Service": {"B": {}}}, service {@code B} gets memory 8765 unless the defaults have
     * an entry for {@code B}; and a default entry this configuration does not mention stays.
     *
     * @throws NullPointerException if {@code defaults} is null
     */
    public ConcreteLimitConfig build(ConcreteLimitConfig defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return ScopeTable.of(this).resolve(ScopeTable.of(defaults), ResourceLimits::build, true)
                .to(ConcreteLimitConfig::new);
    }

    /**
     * This configuration completed from {@code other}, go-libp2p's {@code PartialLimitConfig.Apply}:
     * settings here win, {@code other} fills the gaps.
     *
     * <p>Each scope takes its default fields from the same scope of {@code other}. An entry of a
     * per-key map takes its default fields from {@code other}'s entry for the same key if there
     * is one, else from this configuration's scope default (as completed from {@code other});
     * entries only {@code other} has are added as they are.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public PartialLimitConfig apply(PartialLimitConfig other) {
        Objects.requireNonNull(other, "other");
        return ScopeTable.of(this).resolve(ScopeTable.of(other), ResourceLimits::apply, false)
                .to(PartialLimitConfig::new);
    }

    /**
     * Changes some scopes of a {@link PartialLimitConfig} and keeps the rest. Arguments are
     * checked when given, so a null is reported where it was passed.
     */
    public static final class Builder {
        /** What a per-key value is called when it is null. */
        private static final String VALUE = "limits";

        private final ScopeTable<ResourceLimits> slots;

        private Builder(PartialLimitConfig from) {
            slots = ScopeTable.of(from);
        }

        /** The system scope. */
        public Builder system(ResourceLimits limits) {
            slots.set(Section.SYSTEM, limits);
            return this;
        }

        /** The transient scope. */
        public Builder transientLimit(ResourceLimits limits) {
            slots.set(Section.TRANSIENT, limits);
            return this;
        }

        /** The allowlisted system scope. */
        public Builder allowlistedSystem(ResourceLimits limits) {
            slots.set(Section.ALLOWLISTED_SYSTEM, limits);
            return this;
        }

        /** The allowlisted transient scope. */
        public Builder allowlistedTransient(ResourceLimits limits) {
            slots.set(Section.ALLOWLISTED_TRANSIENT, limits);
            return this;
        }

        /** Services without an entry of their own. */
        public Builder serviceDefault(ResourceLimits limits) {
            slots.set(Section.SERVICE_DEFAULT, limits);
            return this;
        }

        /** Service {@code name}, replacing any earlier entry. */
        public Builder service(String name, ResourceLimits limits) {
            slots.put(Section.SERVICE, name, limits, VALUE);
            return this;
        }

        /** Each peer's share of services without an entry of their own. */
        public Builder servicePeerDefault(ResourceLimits limits) {
            slots.set(Section.SERVICE_PEER_DEFAULT, limits);
            return this;
        }

        /** Each peer's share of service {@code name}, replacing any earlier entry. */
        public Builder servicePeer(String name, ResourceLimits limits) {
            slots.put(Section.SERVICE_PEER, name, limits, VALUE);
            return this;
        }

        /** Protocols without an entry of their own. */
        public Builder protocolDefault(ResourceLimits limits) {
            slots.set(Section.PROTOCOL_DEFAULT, limits);
            return this;
        }

        /** Protocol {@code id}, replacing any earlier entry. */
        public Builder protocol(ProtocolId id, ResourceLimits limits) {
            slots.put(Section.PROTOCOL, id, limits, VALUE);
            return this;
        }

        /** Each peer's share of protocols without an entry of their own. */
        public Builder protocolPeerDefault(ResourceLimits limits) {
            slots.set(Section.PROTOCOL_PEER_DEFAULT, limits);
            return this;
        }

        /** Each peer's share of protocol {@code id}, replacing any earlier entry. */
        public Builder protocolPeer(ProtocolId id, ResourceLimits limits) {
            slots.put(Section.PROTOCOL_PEER, id, limits, VALUE);
            return this;
        }

        /** Peers without an entry of their own. */
        public Builder peerDefault(ResourceLimits limits) {
            slots.set(Section.PEER_DEFAULT, limits);
            return this;
        }

        /** Peer {@code id}, replacing any earlier entry. */
        public Builder peer(PeerId id, ResourceLimits limits) {
            slots.put(Section.PEER, id, limits, VALUE);
            return this;
        }

        /** Every connection. */
        public Builder conn(ResourceLimits limits) {
            slots.set(Section.CONN, limits);
            return this;
        }

        /** Every stream. */
        public Builder stream(ResourceLimits limits) {
            slots.set(Section.STREAM, limits);
            return this;
        }

        /** The configuration; the builder stays usable and later changes do not affect it. */
        public PartialLimitConfig build() {
            return slots.to(PartialLimitConfig::new);
        }
    }
}
