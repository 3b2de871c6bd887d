package org.jrcmgr.node;

import org.jrcmgr.offheap.NativeBuffer;

/**
 * What a stream does with what arrives on it. All calls for one stream come from its
 * connection's event loop, one at a time; a handler must not block.
 *
 * <p>A handler that throws from a callback gets its stream reset: with
 * {@link ErrorCodes#STREAM_RESOURCE_LIMIT_EXCEEDED} for a {@link org.jrcmgr.ResourceLimitExceededException},
 * with {@link ErrorCodes#STREAM_PROTOCOL_VIOLATION} otherwise.
 */
public interface StreamHandler {

    /**
     * For a stream the remote opened: called after the stream was admitted and attached to its
     * protocol, before the opener is told it is accepted. Claim the service here
     * ({@code stream.scope().setService(...)}); a refusal thrown from here refuses the stream. Do not
     * write yet.
     */
    default void onAdmit(PeerStream stream) {
    }

    /**
     * Bytes arrived. The handler owns {@code data} (a native buffer reserved in the stream's scope,
     * exactly the payload) and must close it; one still open when the stream's scope is done is
     * reclaimed and reported as a leak.
     */
    void onData(PeerStream stream, NativeBuffer data);

    /** The remote will write no more (FIN). */
    default void onRemoteClose(PeerStream stream) {
    }

    /** The stream was reset, by the remote ({@code !reason.local()}), by this node or by the connection ending. */
    default void onReset(PeerStream stream, Reason reason) {
    }

    /**
     * The stream is over (both sides closed, or reset): release whatever the handler holds. Called
     * exactly once, last, before the stream's scope is done.
     */
    default void onClosed(PeerStream stream) {
    }
}
