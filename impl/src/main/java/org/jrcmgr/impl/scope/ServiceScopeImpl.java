package org.jrcmgr.impl.scope;

import org.jrcmgr.Limit;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ServiceScope;

/** A service's scope. Services are never collected: there are few of them and they are long-lived. */
final class ServiceScopeImpl extends DagScope implements ServiceScope {

    private final String service;
    final PeerSubScopes peers;

    ServiceScopeImpl(DefaultResourceManager manager, String service, Limit limit, DagScope system) {
        super(manager, "service:" + service, ScopeKind.SERVICE, limit, system);
        this.service = service;
        this.peers = new PeerSubScopes(manager, this, ScopeKind.SERVICE_PEER,
                p -> manager.limiter().servicePeerLimits(service));
    }

    @Override
    public String serviceName() {
        return service;
    }
}
