package org.jrcmgr;

import java.util.function.Function;

/**
 * Access to the long-lived scopes. Each view runs the callback with the scope and returns what the
 * callback returns; service, protocol and peer scopes are created if absent and kept alive for the
 * duration of the callback.
 */
public interface ResourceScopeViewer {

    /** Runs {@code view} with the system scope, the root of all limits. */
    <T> T viewSystem(Function<? super ResourceScope, ? extends T> view);

    /** Runs {@code view} with the transient scope: connections and streams not yet established. */
    <T> T viewTransient(Function<? super ResourceScope, ? extends T> view);

    /** Runs {@code view} with the scope of service {@code service}. */
    <T> T viewService(String service, Function<? super ServiceScope, ? extends T> view);

    /** Runs {@code view} with the scope of {@code protocol}. */
    <T> T viewProtocol(ProtocolId protocol, Function<? super ProtocolScope, ? extends T> view);

    /** Runs {@code view} with the scope of {@code peer}. */
    <T> T viewPeer(PeerId peer, Function<? super PeerScope, ? extends T> view);
}
