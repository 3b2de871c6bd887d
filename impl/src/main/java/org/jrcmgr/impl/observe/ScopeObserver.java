package org.jrcmgr.impl.observe;

import java.util.List;
import org.jrcmgr.Direction;
import org.jrcmgr.LimitValue;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.impl.observe.internal.CompositeObserver;

/**
 * Told of everything that happens in the DAG: the trace, the metrics and the flight recorder hook
 * in here. Every scope touched by an operation is reported on its own, as go-libp2p's trace does,
 * but only once the whole operation has succeeded, so a reservation refused further up never
 * shows as reserved-then-released.
 *
 * <h2>The two halves</h2>
 *
 * <p>The first group of methods are per-scope events, one per scope touched; they map one to one
 * onto go-libp2p's trace events (reference 6.1):
 *
 * <table>
 * <caption>per-scope events and go-libp2p's trace</caption>
 * <tr><th>method</th><th>trace event</th></tr>
 * <tr><td>{@link #scopeCreated}</td><td>{@code create_scope}</td></tr>
 * <tr><td>{@link #scopeDestroyed}</td><td>{@code destroy_scope}</td></tr>
 * <tr><td>{@link #memoryReserved}</td><td>{@code reserve_memory} (never for 0 bytes)</td></tr>
 * <tr><td>{@link #memoryReleased}</td><td>{@code release_memory} (never for 0 bytes)</td></tr>
 * <tr><td>{@link #streamsAdded} / {@link #streamsRemoved}</td><td>{@code add_stream} / {@code remove_stream}</td></tr>
 * <tr><td>{@link #connsAdded} / {@link #connsRemoved}</td><td>{@code add_conn} / {@code remove_conn}</td></tr>
 * <tr><td>{@link #refused}</td><td>{@code block_reserve_memory}, {@code block_add_stream} or
 *     {@code block_add_conn}, by resource, in the refusing scope</td></tr>
 * </table>
 *
 * <p>The second group are go-libp2p's {@code MetricsReporter} (reference 6.2): the outcomes of
 * whole operations, one call per operation. There is deliberately no separate interface: one
 * observer sees both halves, so a metrics binding registers once.
 *
 * <table>
 * <caption>go-libp2p's MetricsReporter and this interface</caption>
 * <tr><th>go-libp2p</th><th>here</th><th>called when</th></tr>
 * <tr><td>{@code AllowConn(dir, usefd)} / {@code BlockConn}</td><td>{@link #connAllowed} / {@link #connBlocked}</td>
 *     <td>{@code openConnection} admitted or refused the connection</td></tr>
 * <tr><td>{@code AllowStream(p, dir)} / {@code BlockStream}</td><td>{@link #streamAllowed} / {@link #streamBlocked}</td>
 *     <td>{@code openStream} admitted or refused the stream</td></tr>
 * <tr><td>{@code AllowPeer(p)} / {@code BlockPeer}</td><td>{@link #peerAllowed} / {@link #peerBlocked}</td>
 *     <td>{@code setPeer} moved the connection to its peer, or the peer scope refused it</td></tr>
 * <tr><td>{@code AllowProtocol(proto)} / {@code BlockProtocol}</td><td>{@link #protocolAllowed} /
 *     {@link #protocolBlocked}</td><td>{@code setProtocol} succeeded, or the protocol scope refused</td></tr>
 * <tr><td>{@code BlockProtocolPeer(proto, p)}</td><td>{@link #protocolPeerBlocked}</td>
 *     <td>the protocol's per-peer share refused the stream</td></tr>
 * <tr><td>{@code AllowService(svc)} / {@code BlockService}</td><td>{@link #serviceAllowed} /
 *     {@link #serviceBlocked}</td><td>{@code setService} succeeded, or the service scope refused</td></tr>
 * <tr><td>{@code BlockServicePeer(svc, p)}</td><td>{@link #servicePeerBlocked}</td>
 *     <td>the service's per-peer share refused the stream</td></tr>
 * <tr><td>{@code AllowMemory(size)} / {@code BlockMemory}</td><td>{@link #memoryAllowed} /
 *     {@link #memoryBlocked}</td><td>a {@code reserveMemory} or {@code tryReserveMemory} asked of any
 *     scope or span was admitted or refused (not for transfers between scopes)</td></tr>
 * </table>
 *
 * <p>Beyond go-libp2p, {@link #refused} also reports refusals that shadow mode let through (with
 * {@code shadow} set), and {@link #managerClosed} tells the observer that its manager is closed,
 * so that it can flush what it buffers (the trace file does).
 *
 * <h2>Contract</h2>
 *
 * <p>Implementations are called on the reserving thread, on the hot path, often while the scope
 * being changed holds its lock: they must be fast, thread-safe, allocate nothing per event where
 * they can, never call back into the resource manager, and never throw. The builder's observers
 * are wrapped by {@link #composite}, which isolates them from each other and from the
 * reservation should one throw anyway.
 */
public interface ScopeObserver {

    /** Observes nothing; the manager skips every call when it is the observer. */
    ScopeObserver NONE = new ScopeObserver() {
    };

    /** A scope or span was created. */
    default void scopeCreated(ObservedScope scope) {
    }

    /** A scope or span is done. */
    default void scopeDestroyed(ObservedScope scope) {
    }

    /** Memory was reserved in {@code scope}, which now holds {@code usage} bytes. */
    default void memoryReserved(ObservedScope scope, long size, ReservationPriority priority, long usage) {
    }

    /** Memory was released from {@code scope}, which now holds {@code usage} bytes. */
    default void memoryReleased(ObservedScope scope, long size, long usage) {
    }

    /** Streams were added to {@code scope}, which now holds {@code in}/{@code out}. */
    default void streamsAdded(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
    }

    /** Streams were removed from {@code scope}, which now holds {@code in}/{@code out}. */
    default void streamsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long in, long out) {
    }

    /** Connections (and descriptors) were added to {@code scope}, which now holds {@code in}/{@code out}/{@code fd}. */
    default void connsAdded(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                            long fd) {
    }

    /** Connections (and descriptors) were removed from {@code scope}. */
    default void connsRemoved(ObservedScope scope, long deltaIn, long deltaOut, long deltaFd, long in, long out,
                              long fd) {
    }

    /**
     * {@code refusing} refused {@code requested} of {@code resource} asked through {@code requester}
     * (or, in shadow mode, would have and let it through). Called at each refusal, by the scope
     * that refused, before the operation is rolled back; a refusal in shadow mode is followed by
     * the events of the operation it let through.
     *
     * @param requester the scope the operation was asked of: the connection or stream being added
     *                  or moved to its peer, protocol or service, or the scope or span reserving memory
     * @param refusing  the scope whose limit refused: {@code requester} itself or one of its edges
     * @param resource  the resource whose limit refused
     * @param current   what {@code refusing} held of it
     * @param requested what was asked of it
     * @param limit     {@code refusing}'s limit for it
     * @param priority  the reservation's priority ({@link ReservationPriority#ALWAYS} for streams,
     *                  connections and transfers)
     * @param shadow    whether shadow mode let the operation through
     */
    default void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                         long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
    }

    // ---- outcomes of whole operations (go-libp2p's MetricsReporter) -----------------------------

    /** A connection was admitted. */
    default void connAllowed(Direction direction, boolean usesFd) {
    }

    /** A connection was refused. */
    default void connBlocked(Direction direction, boolean usesFd) {
    }

    /** A stream was admitted. */
    default void streamAllowed(PeerId peer, Direction direction) {
    }

    /** A stream was refused. */
    default void streamBlocked(PeerId peer, Direction direction) {
    }

    /** A connection was attached to its peer. */
    default void peerAllowed(PeerId peer) {
    }

    /** A connection could not be attached to its peer. */
    default void peerBlocked(PeerId peer) {
    }

    /** A stream was attached to its protocol. */
    default void protocolAllowed(ProtocolId protocol) {
    }

    /** The protocol scope refused a stream. */
    default void protocolBlocked(ProtocolId protocol) {
    }

    /** The protocol's per-peer scope refused a stream. */
    default void protocolPeerBlocked(ProtocolId protocol, PeerId peer) {
    }

    /** A stream was attached to a service. */
    default void serviceAllowed(String service) {
    }

    /** The service scope refused a stream. */
    default void serviceBlocked(String service) {
    }

    /** The service's per-peer scope refused a stream. */
    default void servicePeerBlocked(String service, PeerId peer) {
    }

    /** A memory reservation asked of any scope or span was admitted. */
    default void memoryAllowed(long size) {
    }

    /** A memory reservation asked of any scope or span was refused. */
    default void memoryBlocked(long size) {
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /**
     * The manager this observer watches was closed; no event follows. An observer that buffers
     * (the trace file) flushes and lets go of its resources here. Called on the thread that first
     * closes the manager ({@code ResourceManager.close()}); it may block until the buffer is
     * written. Implementations should tolerate a second call, which concurrent closes may cause.
     */
    default void managerClosed() {
    }

    /**
     * One observer telling all of {@code observers}, in order, each isolated from the others: one
     * that throws is logged (at most once a minute per observer, with a count) and neither the
     * others nor the reservation in progress notice. {@link #NONE} when there is none to tell.
     *
     * @param observers who to tell
     * @return the composite, or {@link #NONE}
     * @throws NullPointerException if {@code observers} or one of them is null
     */
    static ScopeObserver composite(List<? extends ScopeObserver> observers) {
        return CompositeObserver.of(observers);
    }

    /**
     * The same as {@link #composite(List)}.
     *
     * @param observers who to tell
     * @return the composite, or {@link #NONE}
     * @throws NullPointerException if {@code observers} or one of them is null
     */
    static ScopeObserver composite(ScopeObserver... observers) {
        return CompositeObserver.of(List.of(observers));
    }
}
