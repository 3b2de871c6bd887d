package org.jrcmgr;

import java.net.InetSocketAddress;

/**
 * The entry point of resource accounting: it admits connections and streams into the scope DAG
 * and gives access to the long-lived scopes.
 *
 * <p>Obtain one from {@link ResourceManagers#create()} (the provider on the class or module path)
 * or from a provider's own builder. Every method is safe to call from any thread.
 */
public interface ResourceManager extends ResourceScopeViewer, AutoCloseable {

    /**
     * Admits a new connection, not yet tied to a peer: it is accounted in the transient scope.
     *
     * @param direction who opened it
     * @param usesFd    whether it holds an operating-system file descriptor (TCP: yes; QUIC: no)
     * @param endpoint  the remote address, for per-address limits and the allowlist
     * @return the connection's scope; the caller must call {@code done()} on it
     * @throws ResourceLimitExceededException if a limit refuses it
     * @throws ResourceScopeClosedException   if the manager is closed
     */
    ConnManagementScope openConnection(Direction direction, boolean usesFd, Multiaddr endpoint);

    /**
     * Admits a new stream with {@code peer}, not yet tied to a protocol: it is accounted in the
     * peer's scope and the transient scope.
     *
     * @return the stream's scope; the caller must call {@code done()} on it
     * @throws ResourceLimitExceededException if a limit refuses it
     * @throws ResourceScopeClosedException   if the manager is closed
     */
    StreamManagementScope openStream(PeerId peer, Direction direction);

    /**
     * Whether a transport should make the remote prove its source address (a QUIC retry) before
     * {@link #openConnection}: {@code true} once unverified handshakes from that address are too many.
     */
    boolean verifySourceAddress(InetSocketAddress source);

    /** Every live scope with its limit, usage and peak, taken in one call. */
    ResourceSnapshot snapshot();

    /**
     * The most recent refusals, oldest first, from a bounded ring (the default implementation keeps
     * the last 256), including those a scope in shadow mode let through.
     */
    java.util.List<Refusal> recentRefusals();

    /** Stops background work. Scopes still open keep working; new connections and streams are refused. */
    @Override
    void close();
}
