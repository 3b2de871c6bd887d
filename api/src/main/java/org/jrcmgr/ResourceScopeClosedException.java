package org.jrcmgr;

import java.util.Objects;

/** An operation that needs a live scope was called on a scope that is done, or on a closed manager. */
public final class ResourceScopeClosedException extends ResourceException {

    private static final long serialVersionUID = 1L;

    private final String scope;

    /** @param scope the name of the scope that is done */
    public ResourceScopeClosedException(String scope) {
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /** The name of the scope that is done. */
    public String scope() {
        return scope;
    }

    @Override
    public String getMessage() {
        return scope + ": resource scope closed";
    }
}
