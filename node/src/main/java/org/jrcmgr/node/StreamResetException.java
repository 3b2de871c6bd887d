package org.jrcmgr.node;

/**
 * A stream was refused or reset: by this node's manager ({@link Reason#local()}), by the remote
 * with an RST (its reason names the remote's refusing scope when a limit refused), or because the
 * connection ended.
 */
public final class StreamResetException extends NodeException {

    private static final long serialVersionUID = 1L;

    private final boolean beforeAccept;

    /**
     * @param reason       why
     * @param beforeAccept whether the stream was never accepted (a refusal rather than a reset)
     */
    public StreamResetException(Reason reason, boolean beforeAccept) {
        super(beforeAccept ? "stream refused" : "stream reset", reason);
        this.beforeAccept = beforeAccept;
    }

    /** Whether the stream was refused before the remote accepted it. */
    public boolean beforeAccept() {
        return beforeAccept;
    }
}
