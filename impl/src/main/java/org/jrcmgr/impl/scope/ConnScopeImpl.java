package org.jrcmgr.impl.scope;

import java.util.Objects;
import java.util.Optional;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Limit;
import org.jrcmgr.PeerId;
import org.jrcmgr.PeerScope;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;

/**
 * A connection's scope. It starts with edges [transient, system] and, once its peer is known,
 * moves to [peer, system]: the transfer reserves the connection's whole usage in the peer scope,
 * then gives it back to the transient scope, so the system totals never change.
 */
final class ConnScopeImpl extends DagScope implements ConnManagementScope {

    private final DefaultResourceManager manager;
    private volatile PeerScopeImpl peer;

    ConnScopeImpl(DefaultResourceManager manager, long id, Limit limit, DagScope transientScope, DagScope system) {
        super(manager, "conn-" + id, ScopeKind.CONNECTION, limit, transientScope, system);
        this.manager = manager;
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
            PeerScopeImpl target = manager.acquirePeer(peerId);
            ScopeStat stat = stat();
            ResourceException refusal = target.reserveForChild(stat, this);
            if (refusal != null) {
                target.decRef();
                throw refusal;
            }
            DagScope[] from = edges();
            DagScope transientScope = from[0];
            transientScope.releaseForChild(stat);
            transientScope.decRef();
            peer = target;
            setEdges(target, from[1]);
        }
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
    }
}
