package org.jrcmgr;

import java.util.Optional;

/**
 * A connection's scope as the transport that owns it sees it. It starts in the transient scope and
 * moves to its peer's scope once the handshake has named the peer. The owner must call
 * {@link #done()} when the connection closes.
 */
public interface ConnManagementScope extends ConnScope, ResourceScopeSpan {

    /** The peer's scope, once {@link #setPeer} succeeded. */
    Optional<PeerScope> peerScope();

    /**
     * Attaches the connection to {@code peer}: what the connection holds moves from the transient
     * scope into the peer's.
     *
     * <p>If the peer has no room, the connection stays where it was (transient, or allowlisted)
     * and this may be retried. If the connection was admitted through the allowlist and this peer
     * is not allowed for its address, it first moves into the ordinary scopes; if they have no
     * room either, the connection is attached to nothing and the caller should close it.
     *
     * @throws ResourceLimitExceededException if the peer scope (or the ordinary scopes) has no room
     * @throws IllegalStateException          if a peer is already set
     * @throws ResourceScopeClosedException   if the scope is done
     */
    void setPeer(PeerId peer);
}
