package org.jrcmgr.impl.scope;

import java.util.Objects;
import java.util.Optional;
import org.jrcmgr.Limit;
import org.jrcmgr.PeerId;
import org.jrcmgr.PeerScope;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ProtocolScope;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.ServiceScope;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.observe.ScopeObserver;

/**
 * A stream's scope. Its edges grow with what is known about it: [peer, transient, system] when
 * opened; [peer, protocol-peer, protocol, system] once its protocol is negotiated (it leaves the
 * transient scope); [peer, protocol-peer, service-peer, protocol, service, system] once a service
 * claims it (a pure addition).
 */
final class StreamScopeImpl extends DagScope implements StreamManagementScope {

    private final DefaultResourceManager manager;
    private final PeerScopeImpl peer;
    private volatile ProtocolScopeImpl protocol;
    private volatile ServiceScopeImpl service;

    StreamScopeImpl(DefaultResourceManager manager, long id, Limit limit, PeerScopeImpl peer,
                    DagScope transientScope, DagScope system) {
        super(manager, "stream-" + id, ScopeKind.STREAM, limit, peer, transientScope, system);
        this.manager = manager;
        this.peer = peer;
    }

    @Override
    public PeerScope peerScope() {
        return peer;
    }

    @Override
    public Optional<ProtocolScope> protocolScope() {
        return Optional.ofNullable(protocol);
    }

    @Override
    public Optional<ServiceScope> serviceScope() {
        return Optional.ofNullable(service);
    }

    @Override
    public void setProtocol(ProtocolId protocolId) {
        Objects.requireNonNull(protocolId, "protocol");
        synchronized (lock) {
            if (isDoneInternal()) {
                throw new ResourceScopeClosedException(name());
            }
            if (protocol != null) {
                throw new IllegalStateException(name() + " is already attached to " + protocol.name()
                        + "; cannot attach it to protocol:" + protocolId);
            }
            ScopeStat stat = stat();
            ProtocolScopeImpl target = manager.acquireProtocol(protocolId);
            PlainScope share = reserveInBoth(Attachment.PROTOCOL, target, target.peers, stat);
            DagScope[] from = edges();
            DagScope transientScope = from[1];
            transientScope.releaseForChild(stat);
            transientScope.decRef();
            protocol = target;
            setEdges(peer, share, target, from[2]);
            context.observer().protocolAllowed(protocolId);
        }
    }

    @Override
    public void setService(String serviceName) {
        Objects.requireNonNull(serviceName, "service");
        if (serviceName.isEmpty()) {
            throw new IllegalArgumentException("a service name must not be empty");
        }
        synchronized (lock) {
            if (isDoneInternal()) {
                throw new ResourceScopeClosedException(name());
            }
            if (service != null) {
                throw new IllegalStateException(name() + " is already attached to " + service.name()
                        + "; cannot attach it to service:" + serviceName);
            }
            if (protocol == null) {
                throw new IllegalStateException(name() + " is not attached to a protocol; set the protocol before"
                        + " the service");
            }
            ScopeStat stat = stat();
            ServiceScopeImpl target = manager.acquireService(serviceName);
            PlainScope share = reserveInBoth(Attachment.SERVICE, target, target.peers, stat);
            DagScope[] from = edges();
            service = target;
            setEdges(peer, from[1], share, from[2], target, from[3]);
            context.observer().serviceAllowed(serviceName);
        }
    }

    /**
     * Reserves the stream's whole usage in {@code target} (whose reference the caller took) and in
     * its share for this stream's peer: both or neither. On success the two references become the
     * new edges' references; on refusal both are dropped and the refusal is thrown.
     */
    private PlainScope reserveInBoth(Attachment attachment, DagScope target, PeerSubScopes shares, ScopeStat stat) {
        ResourceException refusal = target.reserveForChild(stat, this);
        if (refusal != null) {
            target.decRef();
            attachment.blocked(context.observer(), target, null);
            throw refusal;
        }
        PlainScope share = shares.acquire(peer.peer());
        refusal = share.reserveForChild(stat, this);
        if (refusal != null) {
            target.releaseForChild(stat);
            target.decRef();
            share.decRef();
            attachment.blocked(context.observer(), target, peer.peer());
            throw refusal;
        }
        return share;
    }

    /** What a stream attaches to, for reporting refusals the way go-libp2p's metrics name them. */
    private enum Attachment {
        PROTOCOL {
            @Override
            void blocked(ScopeObserver observer, DagScope target, PeerId sharePeer) {
                ProtocolId id = ((ProtocolScopeImpl) target).protocol();
                if (sharePeer == null) {
                    observer.protocolBlocked(id);
                } else {
                    observer.protocolPeerBlocked(id, sharePeer);
                }
            }
        },
        SERVICE {
            @Override
            void blocked(ScopeObserver observer, DagScope target, PeerId sharePeer) {
                String name = ((ServiceScopeImpl) target).serviceName();
                if (sharePeer == null) {
                    observer.serviceBlocked(name);
                } else {
                    observer.servicePeerBlocked(name, sharePeer);
                }
            }
        };

        /** Reports a refusal by the target itself ({@code sharePeer} null) or by its share for a peer. */
        abstract void blocked(ScopeObserver observer, DagScope target, PeerId sharePeer);
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
