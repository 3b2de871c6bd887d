package org.jrcmgr.impl.scope;

import org.jrcmgr.Limit;
import org.jrcmgr.PeerId;
import org.jrcmgr.PeerScope;
import org.jrcmgr.ScopeKind;

/** A peer's scope; collected when idle unless its limit was set at run time. */
final class PeerScopeImpl extends DagScope implements PeerScope {

    private final DefaultResourceManager manager;
    private final PeerId peer;

    PeerScopeImpl(DefaultResourceManager manager, PeerId peer, Limit limit, DagScope system) {
        super(manager, "peer:" + peer, ScopeKind.PEER, limit, system);
        this.manager = manager;
        this.peer = peer;
    }

    @Override
    public PeerId peer() {
        return peer;
    }

    @Override
    public void setLimit(Limit limit) {
        super.setLimit(limit);
        manager.makeSticky(peer);
    }
}
