package org.jrcmgr.impl.limit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;

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
        ResourceLimits stream) {

    /** Nothing set: building it gives the defaults back. What an empty JSON object ({@code {}}) reads as. */
    public static final PartialLimitConfig EMPTY = new PartialLimitConfig(
            ResourceLimits.DEFAULT, ResourceLimits.DEFAULT, ResourceLimits.DEFAULT, ResourceLimits.DEFAULT,
            ResourceLimits.DEFAULT, Map.of(), ResourceLimits.DEFAULT, Map.of(),
            ResourceLimits.DEFAULT, Map.of(), ResourceLimits.DEFAULT, Map.of(),
            ResourceLimits.DEFAULT, Map.of(), ResourceLimits.DEFAULT, ResourceLimits.DEFAULT);

    /**
     * Copies the maps. A scope with nothing to say is {@link ResourceLimits#DEFAULT}, not null.
     *
     * @throws NullPointerException if a scope, a map, or a key or value in a map is null; the
     *                              message names the component
     */
    public PartialLimitConfig {
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
        return new PartialLimitConfig(
                ResourceLimits.of(config.system()),
                ResourceLimits.of(config.transientLimit()),
                ResourceLimits.of(config.allowlistedSystem()),
                ResourceLimits.of(config.allowlistedTransient()),
                ResourceLimits.of(config.serviceDefault()),
                mapValues(config.service(), ResourceLimits::of),
                ResourceLimits.of(config.servicePeerDefault()),
                mapValues(config.servicePeer(), ResourceLimits::of),
                ResourceLimits.of(config.protocolDefault()),
                mapValues(config.protocol(), ResourceLimits::of),
                ResourceLimits.of(config.protocolPeerDefault()),
                mapValues(config.protocolPeer(), ResourceLimits::of),
                ResourceLimits.of(config.peerDefault()),
                mapValues(config.peer(), ResourceLimits::of),
                ResourceLimits.of(config.conn()),
                ResourceLimits.of(config.stream()));
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
        BaseLimit builtServiceDefault = serviceDefault.build(defaults.serviceDefault());
        BaseLimit builtServicePeerDefault = servicePeerDefault.build(defaults.servicePeerDefault());
        BaseLimit builtProtocolDefault = protocolDefault.build(defaults.protocolDefault());
        BaseLimit builtProtocolPeerDefault = protocolPeerDefault.build(defaults.protocolPeerDefault());
        BaseLimit builtPeerDefault = peerDefault.build(defaults.peerDefault());
        return new ConcreteLimitConfig(
                system.build(defaults.system()),
                transientLimit.build(defaults.transientLimit()),
                allowlistedSystem.build(defaults.allowlistedSystem()),
                allowlistedTransient.build(defaults.allowlistedTransient()),
                builtServiceDefault,
                buildMap(service, defaults.service(), builtServiceDefault),
                builtServicePeerDefault,
                buildMap(servicePeer, defaults.servicePeer(), builtServicePeerDefault),
                builtProtocolDefault,
                buildMap(protocol, defaults.protocol(), builtProtocolDefault),
                builtProtocolPeerDefault,
                buildMap(protocolPeer, defaults.protocolPeer(), builtProtocolPeerDefault),
                builtPeerDefault,
                buildMap(peer, defaults.peer(), builtPeerDefault),
                conn.build(defaults.conn()),
                stream.build(defaults.stream()));
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
        ResourceLimits appliedServiceDefault = serviceDefault.apply(other.serviceDefault);
        ResourceLimits appliedServicePeerDefault = servicePeerDefault.apply(other.servicePeerDefault);
        ResourceLimits appliedProtocolDefault = protocolDefault.apply(other.protocolDefault);
        ResourceLimits appliedProtocolPeerDefault = protocolPeerDefault.apply(other.protocolPeerDefault);
        ResourceLimits appliedPeerDefault = peerDefault.apply(other.peerDefault);
        return new PartialLimitConfig(
                system.apply(other.system),
                transientLimit.apply(other.transientLimit),
                allowlistedSystem.apply(other.allowlistedSystem),
                allowlistedTransient.apply(other.allowlistedTransient),
                appliedServiceDefault,
                applyMap(service, other.service, appliedServiceDefault),
                appliedServicePeerDefault,
                applyMap(servicePeer, other.servicePeer, appliedServicePeerDefault),
                appliedProtocolDefault,
                applyMap(protocol, other.protocol, appliedProtocolDefault),
                appliedProtocolPeerDefault,
                applyMap(protocolPeer, other.protocolPeer, appliedProtocolPeerDefault),
                appliedPeerDefault,
                applyMap(peer, other.peer, appliedPeerDefault),
                conn.apply(other.conn),
                stream.apply(other.stream));
    }

    /** go-libp2p's {@code buildMapWithDefault}. */
    private static <K> Map<K, BaseLimit> buildMap(Map<K, ResourceLimits> defined, Map<K, BaseLimit> defaults,
                                                  BaseLimit fallback) {
        Map<K, BaseLimit> out = new LinkedHashMap<>(defaults);
        defined.forEach((key, limits) -> out.put(key, limits.build(out.getOrDefault(key, fallback))));
        return out;
    }

    /** go-libp2p's {@code applyResourceLimitsMap}. */
    private static <K> Map<K, ResourceLimits> applyMap(Map<K, ResourceLimits> mine, Map<K, ResourceLimits> other,
                                                       ResourceLimits fallback) {
        Map<K, ResourceLimits> out = new LinkedHashMap<>();
        mine.forEach((key, limits) -> out.put(key, limits.apply(other.getOrDefault(key, fallback))));
        other.forEach(out::putIfAbsent);
        return out;
    }

    private static <K, V, W> Map<K, W> mapValues(Map<K, V> map, Function<V, W> f) {
        Map<K, W> out = new LinkedHashMap<>();
        map.forEach((key, value) -> out.put(key, f.apply(value)));
        return out;
    }

    /**
     * Changes some scopes of a {@link PartialLimitConfig} and keeps the rest. Arguments are
     * checked when given, so a null is reported where it was passed.
     */
    public static final class Builder {
        private ResourceLimits system;
        private ResourceLimits transientLimit;
        private ResourceLimits allowlistedSystem;
        private ResourceLimits allowlistedTransient;
        private ResourceLimits serviceDefault;
        private final Map<String, ResourceLimits> service;
        private ResourceLimits servicePeerDefault;
        private final Map<String, ResourceLimits> servicePeer;
        private ResourceLimits protocolDefault;
        private final Map<ProtocolId, ResourceLimits> protocol;
        private ResourceLimits protocolPeerDefault;
        private final Map<ProtocolId, ResourceLimits> protocolPeer;
        private ResourceLimits peerDefault;
        private final Map<PeerId, ResourceLimits> peer;
        private ResourceLimits conn;
        private ResourceLimits stream;

        private Builder(PartialLimitConfig from) {
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

        /** The system scope. */
        public Builder system(ResourceLimits limits) {
            system = Objects.requireNonNull(limits, "system");
            return this;
        }

        /** The transient scope. */
        public Builder transientLimit(ResourceLimits limits) {
            transientLimit = Objects.requireNonNull(limits, "transientLimit");
            return this;
        }

        /** The allowlisted system scope. */
        public Builder allowlistedSystem(ResourceLimits limits) {
            allowlistedSystem = Objects.requireNonNull(limits, "allowlistedSystem");
            return this;
        }

        /** The allowlisted transient scope. */
        public Builder allowlistedTransient(ResourceLimits limits) {
            allowlistedTransient = Objects.requireNonNull(limits, "allowlistedTransient");
            return this;
        }

        /** Services without an entry of their own. */
        public Builder serviceDefault(ResourceLimits limits) {
            serviceDefault = Objects.requireNonNull(limits, "serviceDefault");
            return this;
        }

        /** Service {@code name}, replacing any earlier entry. */
        public Builder service(String name, ResourceLimits limits) {
            service.put(Objects.requireNonNull(name, "service name"), Objects.requireNonNull(limits, "service limits"));
            return this;
        }

        /** Each peer's share of services without an entry of their own. */
        public Builder servicePeerDefault(ResourceLimits limits) {
            servicePeerDefault = Objects.requireNonNull(limits, "servicePeerDefault");
            return this;
        }

        /** Each peer's share of service {@code name}, replacing any earlier entry. */
        public Builder servicePeer(String name, ResourceLimits limits) {
            servicePeer.put(Objects.requireNonNull(name, "service name"),
                    Objects.requireNonNull(limits, "servicePeer limits"));
            return this;
        }

        /** Protocols without an entry of their own. */
        public Builder protocolDefault(ResourceLimits limits) {
            protocolDefault = Objects.requireNonNull(limits, "protocolDefault");
            return this;
        }

        /** Protocol {@code id}, replacing any earlier entry. */
        public Builder protocol(ProtocolId id, ResourceLimits limits) {
            protocol.put(Objects.requireNonNull(id, "protocol id"), Objects.requireNonNull(limits, "protocol limits"));
            return this;
        }

        /** Each peer's share of protocols without an entry of their own. */
        public Builder protocolPeerDefault(ResourceLimits limits) {
            protocolPeerDefault = Objects.requireNonNull(limits, "protocolPeerDefault");
            return this;
        }

        /** Each peer's share of protocol {@code id}, replacing any earlier entry. */
        public Builder protocolPeer(ProtocolId id, ResourceLimits limits) {
            protocolPeer.put(Objects.requireNonNull(id, "protocol id"),
                    Objects.requireNonNull(limits, "protocolPeer limits"));
            return this;
        }

        /** Peers without an entry of their own. */
        public Builder peerDefault(ResourceLimits limits) {
            peerDefault = Objects.requireNonNull(limits, "peerDefault");
            return this;
        }

        /** Peer {@code id}, replacing any earlier entry. */
        public Builder peer(PeerId id, ResourceLimits limits) {
            peer.put(Objects.requireNonNull(id, "peer id"), Objects.requireNonNull(limits, "peer limits"));
            return this;
        }

        /** Every connection. */
        public Builder conn(ResourceLimits limits) {
            conn = Objects.requireNonNull(limits, "conn");
            return this;
        }

        /** Every stream. */
        public Builder stream(ResourceLimits limits) {
            stream = Objects.requireNonNull(limits, "stream");
            return this;
        }

        /** The configuration; the builder stays usable and later changes do not affect it. */
        public PartialLimitConfig build() {
            return new PartialLimitConfig(system, transientLimit, allowlistedSystem, allowlistedTransient,
                    serviceDefault, service, servicePeerDefault, servicePeer, protocolDefault, protocol,
                    protocolPeerDefault, protocolPeer, peerDefault, peer, conn, stream);
        }
    }
}
