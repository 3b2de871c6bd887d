package org.jrcmgr;

import java.util.Objects;

/**
 * A connection was refused because of its remote address, before any scope was asked: the address
 * opened connections too fast, or holds too many at once. Nothing was reserved.
 */
public final class EndpointRefusedException extends ResourceException {

    private static final long serialVersionUID = 1L;

    /** Why the address was refused. */
    public enum Reason {
        /** The address (or its subnet) opened connections faster than the rate limit allows. */
        RATE_LIMIT("rate limit exceeded"),
        /** The address (or its subnet or network prefix) already holds as many connections as allowed. */
        CONNECTIONS_PER_ADDRESS("connections per ip limit exceeded");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        /** go-libp2p's wording of the refusal. */
        public String message() {
            return message;
        }
    }

    private final Multiaddr endpoint;
    private final Reason reason;

    /**
     * @param endpoint the remote address refused
     * @param reason   why
     */
    public EndpointRefusedException(Multiaddr endpoint, Reason reason) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The remote address refused. */
    public Multiaddr endpoint() {
        return endpoint;
    }

    /** Why it was refused. */
    public Reason reason() {
        return reason;
    }

    /** Always true: both limits clear as time passes or connections close. */
    public boolean retryable() {
        return true;
    }

    @Override
    public String getMessage() {
        return reason.message() + " for " + endpoint;
    }
}
