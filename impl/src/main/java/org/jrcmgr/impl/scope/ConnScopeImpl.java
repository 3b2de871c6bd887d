package org.jrcmgr.impl.scope;

import java.util.Objects;
import java.util.Optional;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Limit;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.PeerScope;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.net.internal.IpAddress;

/**
 * A connection's scope. It starts with edges [transient, system] and, once its peer is known,
 * moves to [peer, system]: the transfer reserves the connection's whole usage in the peer scope,
 * then gives it back to the transient scope, so the system totals never change.
 */
final class ConnScopeImpl extends DagScope implements ConnManagementScope {

    private final DefaultResourceManager manager;
    private final Multiaddr endpoint;
    /** The address slot held in the per-address limiter, given back when done; null if none. */
    private final IpAddress address;
    private volatile PeerScopeImpl peer;
    /** Admitted through the allowlist, into the allowlisted scopes; guarded by lock. */
    private boolean allowlisted;

    ConnScopeImpl(DefaultResourceManager manager, long id, Limit limit, Multiaddr endpoint, IpAddress address,
                  boolean allowlisted, DagScope transientScope, DagScope system) {
        super(manager, "conn-" + id, ScopeKind.CONNECTION, limit, transientScope, system);
        this.manager = manager;
        this.endpoint = endpoint;
        this.address = address;
        this.allowlisted = allowlisted;
    }

    /** Whether the connection was admitted through the allowlist and still counts there. */
    boolean isAllowlisted() {
        synchronized (lock) {
            return allowlisted;
        }
    }

    @Override
    public Optional<PeerScope> peerScope() {
        return Optional.ofNullable(peer);
    }

    @Override
    public void setPeer(PeerId peerId) {
        Objects.requireNonNull(peerId, "peer");
        synchronized (lock) {
            if (isDoneInternal()) {
                throw new ResourceScopeClosedException(name());
            }
            if (peer != null) {
                throw new IllegalStateException(name() + " is already attached to " + peer.name()
                        + "; cannot attach it to peer:" + peerId);
            }
            if (edges().length == 0) {
                throw new IllegalStateException(name() + " is attached to no scope after failing to leave the"
                        + " allowlisted scopes; close it");
            }
            if (allowlisted && !manager.allowlist().allowedPeerAndMultiaddr(peerId, endpoint)) {
                leaveAllowlist();
            }
            PeerScopeImpl target = manager.acquirePeer(peerId);
            ScopeStat stat = stat();
            ResourceException refusal = target.reserveForChild(stat, this);
            if (refusal != null) {
                target.decRef();
                context.observer().peerBlocked(peerId);
                throw refusal;
            }
            DagScope[] from = edges();
            DagScope transientScope = from[0];
            transientScope.releaseForChild(stat);
            transientScope.decRef();
            peer = target;
            setEdges(target, from[1]);
            context.observer().peerAllowed(peerId);
        }
    }

    /**
     * The allowlist admitted the address but not this peer: the connection moves into the ordinary
     * system and transient scopes, and must fit there. If it does not, it is attached to nothing and
     * its owner is expected to close it (go-libp2p behaves the same).
     */
    private void leaveAllowlist() {
        ScopeStat stat = stat();
        for (DagScope edge : edges()) {
            edge.releaseForChild(stat);
            edge.decRef();
        }
        setEdges();
        allowlisted = false;
        DagScope system = manager.system();
        DagScope transientScope = manager.transientScope();
        ResourceException refusal = system.reserveForChild(stat, this);
        if (refusal != null) {
            throw refusal;
        }
        refusal = transientScope.reserveForChild(stat, this);
        if (refusal != null) {
            system.releaseForChild(stat);
            throw refusal;
        }
        system.incRef();
        transientScope.incRef();
        setEdges(transientScope, system);
    }

    @Override
    public void done() {
        closeScope();
    }

    @Override
    public boolean isDone() {
        return isDoneInternal();
    }

    @Override
    void afterClosed() {
        manager.unregisterLive(this);
        if (address != null) {
            manager.releaseAddress(address);
        }
    }
}
