package org.jrcmgr;

/**
 * The base of the exceptions the resource manager throws when it refuses something. They are
 * unchecked and carry no stack trace: a refusal is an expected answer on a hot path, not a bug,
 * and its fields say everything a stack trace would.
 */
public abstract class ResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception whose message is computed on demand by {@link #getMessage()}. */
    protected ResourceException() {
        super(null, null, false, false);
    }

    /** An exception with a fixed message. */
    protected ResourceException(String message) {
        super(message, null, false, false);
    }
}
