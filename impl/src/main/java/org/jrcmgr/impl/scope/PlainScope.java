package org.jrcmgr.impl.scope;

import org.jrcmgr.Limit;
import org.jrcmgr.ScopeKind;

/**
 * A scope with nothing but accounting: system, transient, their allowlisted twins, and the
 * per-peer shares of services and protocols.
 */
final class PlainScope extends DagScope {

    private static final DagScope[] NO_EDGES = new DagScope[0];

    PlainScope(ScopeContext context, String name, ScopeKind kind, Limit limit, DagScope... edges) {
        super(context, name, kind, limit, edges);
    }

    private PlainScope(ScopeContext context, String name, ScopeKind kind, Limit limit, DagScope[] edges,
                       DagScope pathParent) {
        super(context, name, kind, limit, edges, pathParent);
    }

    /**
     * A per-peer share of a service or protocol: no edges (the streams list the parent themselves),
     * shown under its parent in paths.
     */
    static PlainScope share(ScopeContext context, String name, ScopeKind kind, Limit limit, DagScope parent) {
        return new PlainScope(context, name, kind, limit, NO_EDGES, parent);
    }
}
