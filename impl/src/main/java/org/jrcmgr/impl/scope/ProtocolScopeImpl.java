package org.jrcmgr.impl.scope;

import org.jrcmgr.Limit;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ProtocolScope;
import org.jrcmgr.ScopeKind;

/** A protocol's scope; collected when idle unless its limit was set at run time. */
final class ProtocolScopeImpl extends DagScope implements ProtocolScope {

    private final DefaultResourceManager manager;
    private final ProtocolId protocol;
    final PeerSubScopes peers;

    ProtocolScopeImpl(DefaultResourceManager manager, ProtocolId protocol, Limit limit, DagScope system) {
        super(manager, "protocol:" + protocol.value(), ScopeKind.PROTOCOL, limit, system);
        this.manager = manager;
        this.protocol = protocol;
        this.peers = new PeerSubScopes(manager, this, ScopeKind.PROTOCOL_PEER,
                p -> manager.limiter().protocolPeerLimits(protocol));
    }

    @Override
    public ProtocolId protocol() {
        return protocol;
    }

    @Override
    public void setLimit(Limit limit) {
        super.setLimit(limit);
        manager.makeSticky(protocol);
    }

    @Override
    void onClosed() {
        peers.closeAll();
    }
}
