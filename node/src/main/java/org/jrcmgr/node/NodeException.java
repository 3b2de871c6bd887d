package org.jrcmgr.node;

import java.util.Objects;

/**
 * A connection or stream ended, or could not start, for a {@link Reason}: refused by this node's
 * manager, refused or reset by the remote (with the reason it sent), or lost.
 */
public class NodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Reason reason;

    /** An exception for {@code reason}. */
    public NodeException(String what, Reason reason) {
        super(what + ": " + reason, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }
}
