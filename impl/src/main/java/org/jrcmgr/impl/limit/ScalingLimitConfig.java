package org.jrcmgr.impl.limit;

import java.util.Map;
import java.util.Objects;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.impl.limit.LimitJsonSchema.Section;

/**
 * Limits for every scope as a function of the node's memory and file-descriptor budget,
 * go-libp2p's {@code ScalingLimitConfig}. {@link #scale} turns it into a
 * {@link ConcreteLimitConfig}; {@link DefaultLimits#defaults()} is the usual starting point.
 *
 * <p>The maps are unmodifiable copies that keep the order they were given in; each entry is
 * scaled with its own base and increase. The transient scope's component is called
 * {@code transientLimit} because {@code transient} is a Java keyword.
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
public record ScalingLimitConfig(
        ScopeScaling system,
        ScopeScaling transientLimit,
        ScopeScaling allowlistedSystem,
        ScopeScaling allowlistedTransient,
        ScopeScaling serviceDefault,
        Map<String, ScopeScaling> service,
        ScopeScaling servicePeerDefault,
        Map<String, ScopeScaling> servicePeer,
        ScopeScaling protocolDefault,
        Map<ProtocolId, ScopeScaling> protocol,
        ScopeScaling protocolPeerDefault,
        Map<ProtocolId, ScopeScaling> protocolPeer,
        ScopeScaling peerDefault,
        Map<PeerId, ScopeScaling> peer,
        ScopeScaling conn,
        ScopeScaling stream) implements ScopeTable.Components<ScopeScaling> {

    /** go-libp2p's zero value: everything blocked, nothing added per GiB. */
    private static final ScopeScaling ZERO = ScopeScaling.unscaled(BaseLimit.BLOCK_ALL);

    /**
     * Copies the maps.
     *
     * @throws NullPointerException if a scaling, a map, or a key or value in a map is null; the
     *                              message names the component
     */
    public ScalingLimitConfig {
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
     * A builder starting from go-libp2p's zero value: every scope {@link BaseLimit#BLOCK_ALL} with
     * {@link BaseLimitIncrease#NONE}, no per-key entries. Start from {@link DefaultLimits#defaults()}
     * (and {@link #toBuilder()}) for sensible limits.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The limits for a node with {@code memoryBytes} of memory budget and {@code numFd} file
     * descriptors to spend: every scope and every per-key entry through
     * {@link ScopeScaling#scale(long, long)}.
     *
     * <p>Unlike go-libp2p, the stream scope is scaled with its <em>own</em> increase; go-libp2p
     * scales it with the connection scope's increase, by mistake. Both increases are
     * {@link BaseLimitIncrease#NONE} in {@link DefaultLimits#defaults()}, so the results agree
     * there; they differ only for a configuration that gives the stream or the connection scope an
     * increase.
     *
     * @param memoryBytes the memory budget in bytes (not the machine's memory: go-libp2p budgets
     *                    an eighth of it, see {@link SystemBudget})
     * @param numFd       the file descriptors to spend; 0 when unknown, which keeps the base FD limits
     * @throws IllegalArgumentException if an argument is negative
     */
    public ConcreteLimitConfig scale(long memoryBytes, long numFd) {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must not be negative, got " + memoryBytes);
        }
        if (numFd < 0) {
            throw new IllegalArgumentException("numFd must not be negative, got " + numFd);
        }
        return ScopeTable.of(this).transform(scaling -> scaling.scale(memoryBytes, numFd))
                .to(ConcreteLimitConfig::new);
    }

    /**
     * The limits for {@code budget}: {@code scale(budget.memoryBytes(), budget.fdLimit())}.
     *
     * @throws NullPointerException if {@code budget} is null
     */
    public ConcreteLimitConfig scale(SystemBudget budget) {
        Objects.requireNonNull(budget, "budget");
        return scale(budget.memoryBytes(), budget.fdLimit());
    }

    /**
     * The limits for this process on this machine, go-libp2p's {@code AutoScale} made to fit a
     * container: {@code scale(SystemBudget.detect())}, an eighth of the smallest of the cgroup
     * memory limit, {@code -XX:MaxDirectMemorySize} and the physical memory, and half the soft
     * open-files limit. The budget and where it came from are logged at info level the first time
     * (and whenever they change); {@code SystemBudget.detect().describe()} gives the same sentence.
     */
    public ConcreteLimitConfig autoScale() {
        return scale(SystemBudget.forAutoScale());
    }

    /**
     * Changes some scopes of a {@link ScalingLimitConfig} and keeps the rest. Arguments are
     * checked when given, so a null is reported where it was passed.
     */
    public static final class Builder {
        private final ScopeTable<ScopeScaling> slots;

        private Builder() {
            slots = ScopeTable.filled(ZERO);
        }

        private Builder(ScalingLimitConfig from) {
            slots = ScopeTable.of(from);
        }

        /** The system scope's scaling. */
        public Builder system(ScopeScaling scaling) {
            slots.set(Section.SYSTEM, scaling);
            return this;
        }

        /** The system scope's base limits and increase. */
        public Builder system(BaseLimit base, BaseLimitIncrease increase) {
            return system(new ScopeScaling(base, increase));
        }

        /** The transient scope's scaling. */
        public Builder transientLimit(ScopeScaling scaling) {
            slots.set(Section.TRANSIENT, scaling);
            return this;
        }

        /** The transient scope's base limits and increase. */
        public Builder transientLimit(BaseLimit base, BaseLimitIncrease increase) {
            return transientLimit(new ScopeScaling(base, increase));
        }

        /** The allowlisted system scope's scaling. */
        public Builder allowlistedSystem(ScopeScaling scaling) {
            slots.set(Section.ALLOWLISTED_SYSTEM, scaling);
            return this;
        }

        /** The allowlisted system scope's base limits and increase. */
        public Builder allowlistedSystem(BaseLimit base, BaseLimitIncrease increase) {
            return allowlistedSystem(new ScopeScaling(base, increase));
        }

        /** The allowlisted transient scope's scaling. */
        public Builder allowlistedTransient(ScopeScaling scaling) {
            slots.set(Section.ALLOWLISTED_TRANSIENT, scaling);
            return this;
        }

        /** The allowlisted transient scope's base limits and increase. */
        public Builder allowlistedTransient(BaseLimit base, BaseLimitIncrease increase) {
            return allowlistedTransient(new ScopeScaling(base, increase));
        }

        /** The scaling of services without an entry of their own. */
        public Builder serviceDefault(ScopeScaling scaling) {
            slots.set(Section.SERVICE_DEFAULT, scaling);
            return this;
        }

        /** The base limits and increase of services without an entry of their own. */
        public Builder serviceDefault(BaseLimit base, BaseLimitIncrease increase) {
            return serviceDefault(new ScopeScaling(base, increase));
        }

        /** The scaling of each peer's share of services without an entry of their own. */
        public Builder servicePeerDefault(ScopeScaling scaling) {
            slots.set(Section.SERVICE_PEER_DEFAULT, scaling);
            return this;
        }

        /** The base limits and increase of each peer's share of services without an entry of their own. */
        public Builder servicePeerDefault(BaseLimit base, BaseLimitIncrease increase) {
            return servicePeerDefault(new ScopeScaling(base, increase));
        }

        /** The scaling of protocols without an entry of their own. */
        public Builder protocolDefault(ScopeScaling scaling) {
            slots.set(Section.PROTOCOL_DEFAULT, scaling);
            return this;
        }

        /** The base limits and increase of protocols without an entry of their own. */
        public Builder protocolDefault(BaseLimit base, BaseLimitIncrease increase) {
            return protocolDefault(new ScopeScaling(base, increase));
        }

        /** The scaling of each peer's share of protocols without an entry of their own. */
        public Builder protocolPeerDefault(ScopeScaling scaling) {
            slots.set(Section.PROTOCOL_PEER_DEFAULT, scaling);
            return this;
        }

        /** The base limits and increase of each peer's share of protocols without an entry of their own. */
        public Builder protocolPeerDefault(BaseLimit base, BaseLimitIncrease increase) {
            return protocolPeerDefault(new ScopeScaling(base, increase));
        }

        /** The scaling of peers without an entry of their own. */
        public Builder peerDefault(ScopeScaling scaling) {
            slots.set(Section.PEER_DEFAULT, scaling);
            return this;
        }

        /** The base limits and increase of peers without an entry of their own. */
        public Builder peerDefault(BaseLimit base, BaseLimitIncrease increase) {
            return peerDefault(new ScopeScaling(base, increase));
        }

        /** The scaling of every connection. */
        public Builder conn(ScopeScaling scaling) {
            slots.set(Section.CONN, scaling);
            return this;
        }

        /** The base limits and increase of every connection. */
        public Builder conn(BaseLimit base, BaseLimitIncrease increase) {
            return conn(new ScopeScaling(base, increase));
        }

        /** The scaling of every stream; see {@link ScalingLimitConfig#scale} on how it differs from go-libp2p. */
        public Builder stream(ScopeScaling scaling) {
            slots.set(Section.STREAM, scaling);
            return this;
        }

        /** The base limits and increase of every stream. */
        public Builder stream(BaseLimit base, BaseLimitIncrease increase) {
            return stream(new ScopeScaling(base, increase));
        }

        /** The limits of service {@code name}, replacing any earlier entry. */
        public Builder addServiceLimit(String name, BaseLimit base, BaseLimitIncrease increase) {
            return add(Section.SERVICE, name, base, increase);
        }

        /** Drops service {@code name}'s entry, so it falls back to the default. */
        public Builder removeServiceLimit(String name) {
            slots.remove(Section.SERVICE, name);
            return this;
        }

        /** The limits of each peer's share of service {@code name}, replacing any earlier entry. */
        public Builder addServicePeerLimit(String name, BaseLimit base, BaseLimitIncrease increase) {
            return add(Section.SERVICE_PEER, name, base, increase);
        }

        /** Drops the per-peer entry of service {@code name}, so it falls back to the default. */
        public Builder removeServicePeerLimit(String name) {
            slots.remove(Section.SERVICE_PEER, name);
            return this;
        }

        /** The limits of protocol {@code id}, replacing any earlier entry. */
        public Builder addProtocolLimit(ProtocolId id, BaseLimit base, BaseLimitIncrease increase) {
            return add(Section.PROTOCOL, id, base, increase);
        }

        /** Drops protocol {@code id}'s entry, so it falls back to the default. */
        public Builder removeProtocolLimit(ProtocolId id) {
            slots.remove(Section.PROTOCOL, id);
            return this;
        }

        /** The limits of each peer's share of protocol {@code id}, replacing any earlier entry. */
        public Builder addProtocolPeerLimit(ProtocolId id, BaseLimit base, BaseLimitIncrease increase) {
            return add(Section.PROTOCOL_PEER, id, base, increase);
        }

        /** Drops the per-peer entry of protocol {@code id}, so it falls back to the default. */
        public Builder removeProtocolPeerLimit(ProtocolId id) {
            slots.remove(Section.PROTOCOL_PEER, id);
            return this;
        }

        /** The limits of peer {@code id}, replacing any earlier entry. */
        public Builder addPeerLimit(PeerId id, BaseLimit base, BaseLimitIncrease increase) {
            return add(Section.PEER, id, base, increase);
        }

        /** Drops peer {@code id}'s entry, so it falls back to the default. */
        public Builder removePeerLimit(PeerId id) {
            slots.remove(Section.PEER, id);
            return this;
        }

        /** The configuration; the builder stays usable and later changes do not affect it. */
        public ScalingLimitConfig build() {
            return slots.to(ScalingLimitConfig::new);
        }

        private Builder add(Section section, Object key, BaseLimit base, BaseLimitIncrease increase) {
            // The key is checked before the scaling is made, so a null key is what gets reported.
            slots.map(section).put(section.requireKey(key), new ScopeScaling(base, increase));
            return this;
        }
    }
}
