package org.jrcmgr.impl.limit;

import java.util.Objects;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;

/**
 * A {@link Limiter} that hands out the limits of one {@link ConcreteLimitConfig}, go-libp2p's
 * {@code NewFixedLimiter}. Services, protocols and peers get their per-key entry, else the
 * matching default; every stream shares {@link ConcreteLimitConfig#stream()}, whatever its peer,
 * and every connection {@link ConcreteLimitConfig#conn()}.
 *
 * @param config the limits
 */
public record FixedLimiter(ConcreteLimitConfig config) implements Limiter {

    /**
     * @throws NullPointerException if {@code config} is null
     */
    public FixedLimiter {
        Objects.requireNonNull(config, "config");
    }

    @Override
    public BaseLimit systemLimits() {
        return config.system();
    }

    @Override
    public BaseLimit transientLimits() {
        return config.transientLimit();
    }

    @Override
    public BaseLimit allowlistedSystemLimits() {
        return config.allowlistedSystem();
    }

    @Override
    public BaseLimit allowlistedTransientLimits() {
        return config.allowlistedTransient();
    }

    @Override
    public BaseLimit serviceLimits(String service) {
        return config.serviceLimit(service);
    }

    @Override
    public BaseLimit servicePeerLimits(String service) {
        return config.servicePeerLimit(service);
    }

    @Override
    public BaseLimit protocolLimits(ProtocolId protocol) {
        return config.protocolLimit(protocol);
    }

    @Override
    public BaseLimit protocolPeerLimits(ProtocolId protocol) {
        return config.protocolPeerLimit(protocol);
    }

    @Override
    public BaseLimit peerLimits(PeerId peer) {
        return config.peerLimit(peer);
    }

    /** {@inheritDoc} The same limit for every peer: go-libp2p has no per-peer stream limits. */
    @Override
    public BaseLimit streamLimits(PeerId peer) {
        Objects.requireNonNull(peer, "peer");
        return config.stream();
    }

    @Override
    public BaseLimit connLimits() {
        return config.conn();
    }
}
