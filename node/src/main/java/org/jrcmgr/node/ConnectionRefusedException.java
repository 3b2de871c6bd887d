package org.jrcmgr.node;

/**
 * A dial did not produce a connection: this node's manager refused it ({@link Reason#local()}),
 * the remote closed it with a reason (a refusal names the remote's refusing scope), or the
 * network failed.
 */
public final class ConnectionRefusedException extends NodeException {

    private static final long serialVersionUID = 1L;

    /** A failed dial. */
    public ConnectionRefusedException(Reason reason) {
        super("connection not established", reason);
    }
}
