package org.jrcmgr.node;

/**
 * The error codes a connection close or a stream reset carries, with go-libp2p's values
 * ({@code network.ConnErrorCode} and {@code network.StreamErrorCode}), so that a refusal reads the
 * same as from a go node: a stream refused by a limit is reset with {@code 0x1002}, a connection
 * with {@code 0x1001}.
 */
public final class ErrorCodes {

    /** No error: a normal close or reset. */
    public static final int NO_ERROR = 0;

    /** Connection: protocol negotiation failed. */
    public static final int CONN_PROTOCOL_NEGOTIATION_FAILED = 0x1000;
    /** Connection: refused or closed by a resource limit (go-libp2p's {@code ConnResourceLimitExceeded}). */
    public static final int CONN_RESOURCE_LIMIT_EXCEEDED = 0x1001;
    /** Connection: refused by a connection rate limit. */
    public static final int CONN_RATE_LIMITED = 0x1002;
    /** Connection: the peer broke the wire protocol. */
    public static final int CONN_PROTOCOL_VIOLATION = 0x1003;
    /** Connection: closed because the node shuts down. */
    public static final int CONN_SHUTDOWN = 0x1006;

    /** Stream: the protocol named in the SYN is not served here. */
    public static final int STREAM_PROTOCOL_NEGOTIATION_FAILED = 0x1001;
    /** Stream: refused or reset by a resource limit (go-libp2p's {@code StreamResourceLimitExceeded}). */
    public static final int STREAM_RESOURCE_LIMIT_EXCEEDED = 0x1002;
    /** Stream: the peer broke the stream's protocol. */
    public static final int STREAM_PROTOCOL_VIOLATION = 0x1004;
    /** Stream: reset because the node shuts down. */
    public static final int STREAM_SHUTDOWN = 0x1007;

    private ErrorCodes() {
    }

    /** The code as go-libp2p's logs print it: {@code 0x1002}. */
    public static String hex(int code) {
        return "0x" + Integer.toHexString(code);
    }
}
