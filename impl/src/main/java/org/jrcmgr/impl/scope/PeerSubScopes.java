package org.jrcmgr.impl.scope;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jrcmgr.Limit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ScopeKind;

/**
 * The per-peer shares of one service or protocol ({@code service:x.peer:P}). They have no edges of
 * their own: a stream attached to the service lists both the service and its share as edges.
 * Shares live until their peer is collected.
 */
final class PeerSubScopes {

    private final ConcurrentHashMap<PeerId, PlainScope> scopes = new ConcurrentHashMap<>();
    private final ScopeContext context;
    private final DagScope parent;
    private final ScopeKind kind;
    private final Function<PeerId, Limit> limits;

    PeerSubScopes(ScopeContext context, DagScope parent, ScopeKind kind, Function<PeerId, Limit> limits) {
        this.context = context;
        this.parent = parent;
        this.kind = kind;
        this.limits = limits;
    }

    /** The share of {@code peer}, created if absent, with one reference taken for the caller. */
    PlainScope acquire(PeerId peer) {
        return scopes.compute(peer, (p, scope) -> {
            PlainScope s = scope != null ? scope
                    : PlainScope.share(context, parent.name() + ".peer:" + p, kind, limits.apply(p), parent);
            s.incRef();
            return s;
        });
    }

    /** Closes and forgets the shares of peers that were collected. */
    void drop(Set<PeerId> deadPeers) {
        for (PeerId peer : deadPeers) {
            scopes.computeIfPresent(peer, (p, scope) -> {
                if (!scope.isUnused()) {
                    return scope;
                }
                scope.closeScope();
                return null;
            });
        }
    }

    /** Closes every share; the parent is being collected, so nothing refers to them. */
    void closeAll() {
        for (PeerId peer : List.copyOf(scopes.keySet())) {
            scopes.computeIfPresent(peer, (p, scope) -> {
                scope.closeScope();
                return null;
            });
        }
    }

    Collection<PlainScope> all() {
        return scopes.values();
    }

    /** The live share of {@code peer}, if any; for tests and snapshots. */
    PlainScope get(PeerId peer) {
        return scopes.get(peer);
    }
}
