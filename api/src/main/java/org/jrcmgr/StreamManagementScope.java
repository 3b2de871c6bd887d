package org.jrcmgr;

import java.util.Optional;

/**
 * A stream's scope as the connection that owns it sees it. It starts in the transient scope and
 * moves to its protocol's scope once the protocol is negotiated. The owner must call
 * {@link #done()} when the stream closes.
 */
public interface StreamManagementScope extends StreamScope, ResourceScopeSpan {

    /** The peer's scope. */
    PeerScope peerScope();

    /** The protocol's scope, once {@link #setProtocol} succeeded. */
    Optional<ProtocolScope> protocolScope();

    /** The service's scope, once {@link #setService} succeeded. */
    Optional<ServiceScope> serviceScope();

    /**
     * Attaches the stream to {@code protocol}: what the stream holds moves from the transient
     * scope into the protocol's scope and the protocol's per-peer scope.
     *
     * @throws ResourceLimitExceededException if either has no room; the stream stays transient and
     *                                        another protocol may be tried
     * @throws IllegalStateException          if a protocol is already set
     * @throws ResourceScopeClosedException   if the scope is done
     */
    void setProtocol(ProtocolId protocol);
}
